// Original file: chorus/dispatch/v1/dispatch_service.proto


export interface SenderNumber {
  'orgId'?: (string);
  'number'?: (string);
  'createdAt'?: (string);
}

export interface SenderNumber__Output {
  'orgId': (string);
  'number': (string);
  'createdAt': (string);
}
