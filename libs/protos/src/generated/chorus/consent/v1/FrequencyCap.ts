// Original file: chorus/consent/v1/consent_service.proto


export interface FrequencyCap {
  'maxMessages'?: (number);
  'windowHours'?: (number);
}

export interface FrequencyCap__Output {
  'maxMessages': (number);
  'windowHours': (number);
}
