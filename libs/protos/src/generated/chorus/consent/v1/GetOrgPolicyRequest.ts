// Original file: chorus/consent/v1/consent_service.proto


export interface GetOrgPolicyRequest {
  'orgId'?: (string);
}

export interface GetOrgPolicyRequest__Output {
  'orgId': (string);
}
