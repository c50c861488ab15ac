// Original file: chorus/dispatch/v1/dispatch_service.proto


export interface AssignNumberRequest {
  'orgId'?: (string);
  'number'?: (string);
}

export interface AssignNumberRequest__Output {
  'orgId': (string);
  'number': (string);
}
