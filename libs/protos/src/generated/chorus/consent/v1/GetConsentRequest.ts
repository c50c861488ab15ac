// Original file: chorus/consent/v1/consent_service.proto


export interface GetConsentRequest {
  'orgId'?: (string);
  'phone'?: (string);
}

export interface GetConsentRequest__Output {
  'orgId': (string);
  'phone': (string);
}
