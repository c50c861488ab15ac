// Original file: chorus/consent/v1/consent_service.proto


export interface ListHistoryRequest {
  'orgId'?: (string);
  'phone'?: (string);
  'pageSize'?: (number);
  'cursor'?: (string);
}

export interface ListHistoryRequest__Output {
  'orgId': (string);
  'phone': (string);
  'pageSize': (number);
  'cursor': (string);
}
