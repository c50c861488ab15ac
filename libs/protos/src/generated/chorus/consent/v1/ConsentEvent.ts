// Original file: chorus/consent/v1/consent_service.proto

import type { ConsentSource as _chorus_consent_v1_ConsentSource, ConsentSource__Output as _chorus_consent_v1_ConsentSource__Output } from '../../../chorus/consent/v1/ConsentSource.js';
import type { Evidence as _chorus_consent_v1_Evidence, Evidence__Output as _chorus_consent_v1_Evidence__Output } from '../../../chorus/consent/v1/Evidence.js';
import type { ConsentStatus as _chorus_consent_v1_ConsentStatus, ConsentStatus__Output as _chorus_consent_v1_ConsentStatus__Output } from '../../../chorus/consent/v1/ConsentStatus.js';

export interface ConsentEvent {
  'id'?: (string);
  'orgId'?: (string);
  'phone'?: (string);
  'type'?: (string);
  'source'?: (_chorus_consent_v1_ConsentSource);
  'evidence'?: (_chorus_consent_v1_Evidence | null);
  'at'?: (string);
  'previousStatus'?: (_chorus_consent_v1_ConsentStatus);
  'newStatus'?: (_chorus_consent_v1_ConsentStatus);
}

export interface ConsentEvent__Output {
  'id': (string);
  'orgId': (string);
  'phone': (string);
  'type': (string);
  'source': (_chorus_consent_v1_ConsentSource__Output);
  'evidence': (_chorus_consent_v1_Evidence__Output | null);
  'at': (string);
  'previousStatus': (_chorus_consent_v1_ConsentStatus__Output);
  'newStatus': (_chorus_consent_v1_ConsentStatus__Output);
}
