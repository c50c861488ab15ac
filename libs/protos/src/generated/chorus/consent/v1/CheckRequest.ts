// Original file: chorus/consent/v1/consent_service.proto

import type { Purpose as _chorus_consent_v1_Purpose, Purpose__Output as _chorus_consent_v1_Purpose__Output } from '../../../chorus/consent/v1/Purpose.js';

export interface CheckRequest {
  'orgId'?: (string);
  'to'?: (string);
  'purpose'?: (_chorus_consent_v1_Purpose);
  'at'?: (string);
  'recipientStartedConversation'?: (boolean);
  'contactRegion'?: (string);
  'contactTimeZone'?: (string);
  'subject'?: (string);
  'complianceAuthorizationId'?: (string);
  'countSolicitation'?: (boolean);
}

export interface CheckRequest__Output {
  'orgId': (string);
  'to': (string);
  'purpose': (_chorus_consent_v1_Purpose__Output);
  'at': (string);
  'recipientStartedConversation': (boolean);
  'contactRegion': (string);
  'contactTimeZone': (string);
  'subject': (string);
  'complianceAuthorizationId': (string);
  'countSolicitation': (boolean);
}
