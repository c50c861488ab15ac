// Original file: chorus/dispatch/v1/dispatch_service.proto

import type { Message as _chorus_dispatch_v1_Message, Message__Output as _chorus_dispatch_v1_Message__Output } from '../../../chorus/dispatch/v1/Message.js';

export interface SendBatchItemResult {
  'message'?: (_chorus_dispatch_v1_Message | null);
  'errorCode'?: (string);
  'errorDetail'?: (string);
}

export interface SendBatchItemResult__Output {
  'message': (_chorus_dispatch_v1_Message__Output | null);
  'errorCode': (string);
  'errorDetail': (string);
}
