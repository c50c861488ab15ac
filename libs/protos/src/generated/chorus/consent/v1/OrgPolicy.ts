// Original file: chorus/consent/v1/consent_service.proto

import type { FrequencyCap as _chorus_consent_v1_FrequencyCap, FrequencyCap__Output as _chorus_consent_v1_FrequencyCap__Output } from '../../../chorus/consent/v1/FrequencyCap.js';

export interface OrgPolicy {
  'orgId'?: (string);
  'programName'?: (string);
  'helpContact'?: (string);
  'messageFrequency'?: (string);
  'optOutConfirmationText'?: (string);
  'helpText'?: (string);
  'optInConfirmationText'?: (string);
  'requireExpressConsentForMarketing'?: (boolean);
  'frequencyCap'?: (_chorus_consent_v1_FrequencyCap | null);
}

export interface OrgPolicy__Output {
  'orgId': (string);
  'programName': (string);
  'helpContact': (string);
  'messageFrequency': (string);
  'optOutConfirmationText': (string);
  'helpText': (string);
  'optInConfirmationText': (string);
  'requireExpressConsentForMarketing': (boolean);
  'frequencyCap': (_chorus_consent_v1_FrequencyCap__Output | null);
}
