// Original file: chorus/consent/v1/consent_service.proto

export const Purpose = {
  PURPOSE_UNSPECIFIED: 'PURPOSE_UNSPECIFIED',
  PURPOSE_MARKETING: 'PURPOSE_MARKETING',
  PURPOSE_INFORMATIONAL: 'PURPOSE_INFORMATIONAL',
  PURPOSE_CONVERSATIONAL: 'PURPOSE_CONVERSATIONAL',
  PURPOSE_COMPLIANCE: 'PURPOSE_COMPLIANCE',
} as const;

export type Purpose =
  | 'PURPOSE_UNSPECIFIED'
  | 0
  | 'PURPOSE_MARKETING'
  | 1
  | 'PURPOSE_INFORMATIONAL'
  | 2
  | 'PURPOSE_CONVERSATIONAL'
  | 3
  | 'PURPOSE_COMPLIANCE'
  | 4

export type Purpose__Output = typeof Purpose[keyof typeof Purpose]
