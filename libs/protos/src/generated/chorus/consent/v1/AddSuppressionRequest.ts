// Original file: chorus/consent/v1/consent_service.proto


export interface AddSuppressionRequest {
  'phone'?: (string);
  'reason'?: (string);
  'actor'?: (string);
}

export interface AddSuppressionRequest__Output {
  'phone': (string);
  'reason': (string);
  'actor': (string);
}
