// Original file: chorus/dispatch/v1/dispatch_service.proto

import type { MessageStatus as _chorus_dispatch_v1_MessageStatus, MessageStatus__Output as _chorus_dispatch_v1_MessageStatus__Output } from '../../../chorus/dispatch/v1/MessageStatus.js';

export interface StatusChange {
  'status'?: (_chorus_dispatch_v1_MessageStatus);
  'at'?: (string);
  'detail'?: (string);
}

export interface StatusChange__Output {
  'status': (_chorus_dispatch_v1_MessageStatus__Output);
  'at': (string);
  'detail': (string);
}
