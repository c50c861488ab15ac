// Original file: chorus/dispatch/v1/dispatch_service.proto

import type { Message as _chorus_dispatch_v1_Message, Message__Output as _chorus_dispatch_v1_Message__Output } from '../../../chorus/dispatch/v1/Message.js';

export interface SendMessageResponse {
  'message'?: (_chorus_dispatch_v1_Message | null);
  'duplicate'?: (boolean);
}

export interface SendMessageResponse__Output {
  'message': (_chorus_dispatch_v1_Message__Output | null);
  'duplicate': (boolean);
}
