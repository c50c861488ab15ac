// Original file: chorus/consent/v1/consent_service.proto

import type { ConsentStatus as _chorus_consent_v1_ConsentStatus, ConsentStatus__Output as _chorus_consent_v1_ConsentStatus__Output } from '../../../chorus/consent/v1/ConsentStatus.js';
import type { ConsentSource as _chorus_consent_v1_ConsentSource, ConsentSource__Output as _chorus_consent_v1_ConsentSource__Output } from '../../../chorus/consent/v1/ConsentSource.js';

export interface Consent {
  'orgId'?: (string);
  'phone'?: (string);
  'status'?: (_chorus_consent_v1_ConsentStatus);
  'updatedAt'?: (string);
  'lastSource'?: (_chorus_consent_v1_ConsentSource);
  'suppressed'?: (boolean);
}

export interface Consent__Output {
  'orgId': (string);
  'phone': (string);
  'status': (_chorus_consent_v1_ConsentStatus__Output);
  'updatedAt': (string);
  'lastSource': (_chorus_consent_v1_ConsentSource__Output);
  'suppressed': (boolean);
}
