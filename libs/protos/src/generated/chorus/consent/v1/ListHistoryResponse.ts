// Original file: chorus/consent/v1/consent_service.proto

import type { ConsentEvent as _chorus_consent_v1_ConsentEvent, ConsentEvent__Output as _chorus_consent_v1_ConsentEvent__Output } from '../../../chorus/consent/v1/ConsentEvent.js';

export interface ListHistoryResponse {
  'events'?: (_chorus_consent_v1_ConsentEvent)[];
  'nextCursor'?: (string);
}

export interface ListHistoryResponse__Output {
  'events': (_chorus_consent_v1_ConsentEvent__Output)[];
  'nextCursor': (string);
}
