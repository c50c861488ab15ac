// Original file: chorus/dispatch/v1/dispatch_service.proto

import type { SendBatchItemResult as _chorus_dispatch_v1_SendBatchItemResult, SendBatchItemResult__Output as _chorus_dispatch_v1_SendBatchItemResult__Output } from '../../../chorus/dispatch/v1/SendBatchItemResult.js';

export interface SendBatchResponse {
  'results'?: (_chorus_dispatch_v1_SendBatchItemResult)[];
}

export interface SendBatchResponse__Output {
  'results': (_chorus_dispatch_v1_SendBatchItemResult__Output)[];
}
