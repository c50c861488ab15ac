// Original file: chorus/consent/v1/consent_service.proto


export interface RemoveSuppressionRequest {
  'phone'?: (string);
  'reason'?: (string);
  'actor'?: (string);
}

export interface RemoveSuppressionRequest__Output {
  'phone': (string);
  'reason': (string);
  'actor': (string);
}
