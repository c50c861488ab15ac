// Original file: chorus/consent/v1/consent_service.proto

export const ConsentStatus = {
  CONSENT_STATUS_UNSPECIFIED: 'CONSENT_STATUS_UNSPECIFIED',
  CONSENT_STATUS_OPTED_IN: 'CONSENT_STATUS_OPTED_IN',
  CONSENT_STATUS_OPTED_OUT: 'CONSENT_STATUS_OPTED_OUT',
  CONSENT_STATUS_UNKNOWN: 'CONSENT_STATUS_UNKNOWN',
} as const;

export type ConsentStatus =
  | 'CONSENT_STATUS_UNSPECIFIED'
  | 0
  | 'CONSENT_STATUS_OPTED_IN'
  | 1
  | 'CONSENT_STATUS_OPTED_OUT'
  | 2
  | 'CONSENT_STATUS_UNKNOWN'
  | 3

export type ConsentStatus__Output = typeof ConsentStatus[keyof typeof ConsentStatus]
