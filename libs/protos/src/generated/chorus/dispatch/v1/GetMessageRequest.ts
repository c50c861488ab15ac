// Original file: chorus/dispatch/v1/dispatch_service.proto


export interface GetMessageRequest {
  'orgId'?: (string);
  'id'?: (string);
}

export interface GetMessageRequest__Output {
  'orgId': (string);
  'id': (string);
}
