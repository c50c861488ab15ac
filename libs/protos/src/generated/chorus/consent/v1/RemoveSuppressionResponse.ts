// Original file: chorus/consent/v1/consent_service.proto


export interface RemoveSuppressionResponse {
  'removed'?: (boolean);
}

export interface RemoveSuppressionResponse__Output {
  'removed': (boolean);
}
