// Original file: chorus/consent/v1/consent_service.proto


export interface AuthorizeComplianceReplyResponse {
  'authorized'?: (boolean);
  'authorizationId'?: (string);
  'text'?: (string);
  'detail'?: (string);
}

export interface AuthorizeComplianceReplyResponse__Output {
  'authorized': (boolean);
  'authorizationId': (string);
  'text': (string);
  'detail': (string);
}
