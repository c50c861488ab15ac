// Original file: chorus/consent/v1/consent_service.proto

import type { Purpose as _chorus_consent_v1_Purpose, Purpose__Output as _chorus_consent_v1_Purpose__Output } from '../../../chorus/consent/v1/Purpose.js';

export interface CheckBatchRequest {
  'orgId'?: (string);
  'purpose'?: (_chorus_consent_v1_Purpose);
  'at'?: (string);
  'to'?: (string)[];
  'subject'?: (string);
}

export interface CheckBatchRequest__Output {
  'orgId': (string);
  'purpose': (_chorus_consent_v1_Purpose__Output);
  'at': (string);
  'to': (string)[];
  'subject': (string);
}
