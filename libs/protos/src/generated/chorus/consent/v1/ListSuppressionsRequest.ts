// Original file: chorus/consent/v1/consent_service.proto


export interface ListSuppressionsRequest {
  'pageSize'?: (number);
  'cursor'?: (string);
}

export interface ListSuppressionsRequest__Output {
  'pageSize': (number);
  'cursor': (string);
}
