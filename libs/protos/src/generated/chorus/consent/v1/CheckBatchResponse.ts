// Original file: chorus/consent/v1/consent_service.proto

import type { CheckResponse as _chorus_consent_v1_CheckResponse, CheckResponse__Output as _chorus_consent_v1_CheckResponse__Output } from '../../../chorus/consent/v1/CheckResponse.js';

export interface CheckBatchResponse {
  'results'?: (_chorus_consent_v1_CheckResponse)[];
}

export interface CheckBatchResponse__Output {
  'results': (_chorus_consent_v1_CheckResponse__Output)[];
}
