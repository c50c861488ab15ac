// Original file: chorus/dispatch/v1/dispatch_service.proto

import type { Message as _chorus_dispatch_v1_Message, Message__Output as _chorus_dispatch_v1_Message__Output } from '../../../chorus/dispatch/v1/Message.js';

export interface ListMessagesResponse {
  'messages'?: (_chorus_dispatch_v1_Message)[];
  'nextCursor'?: (string);
}

export interface ListMessagesResponse__Output {
  'messages': (_chorus_dispatch_v1_Message__Output)[];
  'nextCursor': (string);
}
