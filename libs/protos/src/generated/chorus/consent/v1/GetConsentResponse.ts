// Original file: chorus/consent/v1/consent_service.proto

import type { Consent as _chorus_consent_v1_Consent, Consent__Output as _chorus_consent_v1_Consent__Output } from '../../../chorus/consent/v1/Consent.js';

export interface GetConsentResponse {
  'consent'?: (_chorus_consent_v1_Consent | null);
}

export interface GetConsentResponse__Output {
  'consent': (_chorus_consent_v1_Consent__Output | null);
}
