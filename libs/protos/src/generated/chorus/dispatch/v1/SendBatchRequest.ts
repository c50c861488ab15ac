// Original file: chorus/dispatch/v1/dispatch_service.proto

import type { SendMessageRequest as _chorus_dispatch_v1_SendMessageRequest, SendMessageRequest__Output as _chorus_dispatch_v1_SendMessageRequest__Output } from '../../../chorus/dispatch/v1/SendMessageRequest.js';

export interface SendBatchRequest {
  'orgId'?: (string);
  'messages'?: (_chorus_dispatch_v1_SendMessageRequest)[];
}

export interface SendBatchRequest__Output {
  'orgId': (string);
  'messages': (_chorus_dispatch_v1_SendMessageRequest__Output)[];
}
