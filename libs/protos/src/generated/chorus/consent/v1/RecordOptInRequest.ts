// Original file: chorus/consent/v1/consent_service.proto

import type { ConsentSource as _chorus_consent_v1_ConsentSource, ConsentSource__Output as _chorus_consent_v1_ConsentSource__Output } from '../../../chorus/consent/v1/ConsentSource.js';
import type { Evidence as _chorus_consent_v1_Evidence, Evidence__Output as _chorus_consent_v1_Evidence__Output } from '../../../chorus/consent/v1/Evidence.js';

export interface RecordOptInRequest {
  'orgId'?: (string);
  'phone'?: (string);
  'source'?: (_chorus_consent_v1_ConsentSource);
  'evidence'?: (_chorus_consent_v1_Evidence | null);
}

export interface RecordOptInRequest__Output {
  'orgId': (string);
  'phone': (string);
  'source': (_chorus_consent_v1_ConsentSource__Output);
  'evidence': (_chorus_consent_v1_Evidence__Output | null);
}
