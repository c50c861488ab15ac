// Original file: chorus/consent/v1/consent_service.proto


export interface Evidence {
  'words'?: (string);
  'actor'?: (string);
  'disclosureText'?: (string);
  'disclosureRef'?: (string);
  'ip'?: (string);
  'userAgent'?: (string);
  'url'?: (string);
  'sourceMessageId'?: (string);
  'occurredAt'?: (string);
  'reason'?: (string);
}

export interface Evidence__Output {
  'words': (string);
  'actor': (string);
  'disclosureText': (string);
  'disclosureRef': (string);
  'ip': (string);
  'userAgent': (string);
  'url': (string);
  'sourceMessageId': (string);
  'occurredAt': (string);
  'reason': (string);
}
