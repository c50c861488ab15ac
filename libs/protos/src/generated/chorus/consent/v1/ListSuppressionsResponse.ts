// Original file: chorus/consent/v1/consent_service.proto

import type { Suppression as _chorus_consent_v1_Suppression, Suppression__Output as _chorus_consent_v1_Suppression__Output } from '../../../chorus/consent/v1/Suppression.js';

export interface ListSuppressionsResponse {
  'suppressions'?: (_chorus_consent_v1_Suppression)[];
  'nextCursor'?: (string);
}

export interface ListSuppressionsResponse__Output {
  'suppressions': (_chorus_consent_v1_Suppression__Output)[];
  'nextCursor': (string);
}
