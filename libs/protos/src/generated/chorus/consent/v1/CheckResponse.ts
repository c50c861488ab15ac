// Original file: chorus/consent/v1/consent_service.proto

import type { Decision as _chorus_consent_v1_Decision, Decision__Output as _chorus_consent_v1_Decision__Output } from '../../../chorus/consent/v1/Decision.js';
import type { DenyReason as _chorus_consent_v1_DenyReason, DenyReason__Output as _chorus_consent_v1_DenyReason__Output } from '../../../chorus/consent/v1/DenyReason.js';

export interface CheckResponse {
  'decision'?: (_chorus_consent_v1_Decision);
  'reason'?: (_chorus_consent_v1_DenyReason);
  'nextAllowedAt'?: (string);
  'detail'?: (string);
  'normalizedTo'?: (string);
}

export interface CheckResponse__Output {
  'decision': (_chorus_consent_v1_Decision__Output);
  'reason': (_chorus_consent_v1_DenyReason__Output);
  'nextAllowedAt': (string);
  'detail': (string);
  'normalizedTo': (string);
}
