// Original file: chorus/consent/v1/consent_service.proto

import type { OrgPolicy as _chorus_consent_v1_OrgPolicy, OrgPolicy__Output as _chorus_consent_v1_OrgPolicy__Output } from '../../../chorus/consent/v1/OrgPolicy.js';

export interface UpsertOrgPolicyRequest {
  'policy'?: (_chorus_consent_v1_OrgPolicy | null);
}

export interface UpsertOrgPolicyRequest__Output {
  'policy': (_chorus_consent_v1_OrgPolicy__Output | null);
}
