// Original file: chorus/dispatch/v1/dispatch_service.proto


export interface CancelMessageRequest {
  'orgId'?: (string);
  'id'?: (string);
}

export interface CancelMessageRequest__Output {
  'orgId': (string);
  'id': (string);
}
