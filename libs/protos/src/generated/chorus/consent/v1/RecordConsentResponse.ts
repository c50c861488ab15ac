// Original file: chorus/consent/v1/consent_service.proto

import type { Consent as _chorus_consent_v1_Consent, Consent__Output as _chorus_consent_v1_Consent__Output } from '../../../chorus/consent/v1/Consent.js';

export interface RecordConsentResponse {
  'consent'?: (_chorus_consent_v1_Consent | null);
  'changed'?: (boolean);
  'eventId'?: (string);
}

export interface RecordConsentResponse__Output {
  'consent': (_chorus_consent_v1_Consent__Output | null);
  'changed': (boolean);
  'eventId': (string);
}
