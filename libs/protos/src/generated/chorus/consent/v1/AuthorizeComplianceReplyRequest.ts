// Original file: chorus/consent/v1/consent_service.proto

import type { ComplianceReplyKind as _chorus_consent_v1_ComplianceReplyKind, ComplianceReplyKind__Output as _chorus_consent_v1_ComplianceReplyKind__Output } from '../../../chorus/consent/v1/ComplianceReplyKind.js';

export interface AuthorizeComplianceReplyRequest {
  'orgId'?: (string);
  'phone'?: (string);
  'kind'?: (_chorus_consent_v1_ComplianceReplyKind);
  'inboundMessageId'?: (string);
}

export interface AuthorizeComplianceReplyRequest__Output {
  'orgId': (string);
  'phone': (string);
  'kind': (_chorus_consent_v1_ComplianceReplyKind__Output);
  'inboundMessageId': (string);
}
