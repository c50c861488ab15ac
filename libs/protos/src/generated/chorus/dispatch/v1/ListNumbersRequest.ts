// Original file: chorus/dispatch/v1/dispatch_service.proto


export interface ListNumbersRequest {
  'orgId'?: (string);
}

export interface ListNumbersRequest__Output {
  'orgId': (string);
}
