// Original file: chorus/dispatch/v1/dispatch_service.proto

import type { MessageStatus as _chorus_dispatch_v1_MessageStatus, MessageStatus__Output as _chorus_dispatch_v1_MessageStatus__Output } from '../../../chorus/dispatch/v1/MessageStatus.js';

export interface ListMessagesRequest {
  'orgId'?: (string);
  'to'?: (string);
  'status'?: (_chorus_dispatch_v1_MessageStatus);
  'pageSize'?: (number);
  'cursor'?: (string);
  'campaignId'?: (string);
}

export interface ListMessagesRequest__Output {
  'orgId': (string);
  'to': (string);
  'status': (_chorus_dispatch_v1_MessageStatus__Output);
  'pageSize': (number);
  'cursor': (string);
  'campaignId': (string);
}
