// Original file: chorus/dispatch/v1/dispatch_service.proto

import type { Purpose as _chorus_consent_v1_Purpose, Purpose__Output as _chorus_consent_v1_Purpose__Output } from '../../../chorus/consent/v1/Purpose.js';
import type { MessageStatus as _chorus_dispatch_v1_MessageStatus, MessageStatus__Output as _chorus_dispatch_v1_MessageStatus__Output } from '../../../chorus/dispatch/v1/MessageStatus.js';
import type { StatusChange as _chorus_dispatch_v1_StatusChange, StatusChange__Output as _chorus_dispatch_v1_StatusChange__Output } from '../../../chorus/dispatch/v1/StatusChange.js';

export interface Message {
  'id'?: (string);
  'orgId'?: (string);
  'to'?: (string);
  'from'?: (string);
  'text'?: (string);
  'media'?: (string)[];
  'tag'?: (string);
  'purpose'?: (_chorus_consent_v1_Purpose);
  'status'?: (_chorus_dispatch_v1_MessageStatus);
  'statusHistory'?: (_chorus_dispatch_v1_StatusChange)[];
  'segments'?: (number);
  'encoding'?: (string);
  'carrierMessageId'?: (string);
  'errorCode'?: (string);
  'errorReason'?: (string);
  'blockedReason'?: (string);
  'scheduledFor'?: (string);
  'createdAt'?: (string);
  'updatedAt'?: (string);
  'campaignId'?: (string);
  'conversationId'?: (string);
}

export interface Message__Output {
  'id': (string);
  'orgId': (string);
  'to': (string);
  'from': (string);
  'text': (string);
  'media': (string)[];
  'tag': (string);
  'purpose': (_chorus_consent_v1_Purpose__Output);
  'status': (_chorus_dispatch_v1_MessageStatus__Output);
  'statusHistory': (_chorus_dispatch_v1_StatusChange__Output)[];
  'segments': (number);
  'encoding': (string);
  'carrierMessageId': (string);
  'errorCode': (string);
  'errorReason': (string);
  'blockedReason': (string);
  'scheduledFor': (string);
  'createdAt': (string);
  'updatedAt': (string);
  'campaignId': (string);
  'conversationId': (string);
}
