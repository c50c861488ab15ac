// Original file: chorus/dispatch/v1/dispatch_service.proto

import type { SenderNumber as _chorus_dispatch_v1_SenderNumber, SenderNumber__Output as _chorus_dispatch_v1_SenderNumber__Output } from '../../../chorus/dispatch/v1/SenderNumber.js';

export interface ListNumbersResponse {
  'numbers'?: (_chorus_dispatch_v1_SenderNumber)[];
}

export interface ListNumbersResponse__Output {
  'numbers': (_chorus_dispatch_v1_SenderNumber__Output)[];
}
