// Original file: chorus/dispatch/v1/dispatch_service.proto

import type { Purpose as _chorus_consent_v1_Purpose, Purpose__Output as _chorus_consent_v1_Purpose__Output } from '../../../chorus/consent/v1/Purpose.js';

export interface SendMessageRequest {
  'orgId'?: (string);
  'to'?: (string);
  'text'?: (string);
  'from'?: (string);
  'media'?: (string)[];
  'tag'?: (string);
  'purpose'?: (_chorus_consent_v1_Purpose);
  'idempotencyKey'?: (string);
  'contactRegion'?: (string);
  'contactTimeZone'?: (string);
  'recipientStartedConversation'?: (boolean);
  'complianceAuthorizationId'?: (string);
  'campaignId'?: (string);
  'conversationId'?: (string);
}

export interface SendMessageRequest__Output {
  'orgId': (string);
  'to': (string);
  'text': (string);
  'from': (string);
  'media': (string)[];
  'tag': (string);
  'purpose': (_chorus_consent_v1_Purpose__Output);
  'idempotencyKey': (string);
  'contactRegion': (string);
  'contactTimeZone': (string);
  'recipientStartedConversation': (boolean);
  'complianceAuthorizationId': (string);
  'campaignId': (string);
  'conversationId': (string);
}
