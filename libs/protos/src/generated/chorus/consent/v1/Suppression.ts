// Original file: chorus/consent/v1/consent_service.proto


export interface Suppression {
  'phone'?: (string);
  'reason'?: (string);
  'actor'?: (string);
  'createdAt'?: (string);
}

export interface Suppression__Output {
  'phone': (string);
  'reason': (string);
  'actor': (string);
  'createdAt': (string);
}
