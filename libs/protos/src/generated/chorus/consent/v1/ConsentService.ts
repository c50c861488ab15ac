// Original file: chorus/consent/v1/consent_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddSuppressionRequest as _chorus_consent_v1_AddSuppressionRequest, AddSuppressionRequest__Output as _chorus_consent_v1_AddSuppressionRequest__Output } from '../../../chorus/consent/v1/AddSuppressionRequest.js';
import type { AuthorizeComplianceReplyRequest as _chorus_consent_v1_AuthorizeComplianceReplyRequest, AuthorizeComplianceReplyRequest__Output as _chorus_consent_v1_AuthorizeComplianceReplyRequest__Output } from '../../../chorus/consent/v1/AuthorizeComplianceReplyRequest.js';
import type { AuthorizeComplianceReplyResponse as _chorus_consent_v1_AuthorizeComplianceReplyResponse, AuthorizeComplianceReplyResponse__Output as _chorus_consent_v1_AuthorizeComplianceReplyResponse__Output } from '../../../chorus/consent/v1/AuthorizeComplianceReplyResponse.js';
import type { CheckBatchRequest as _chorus_consent_v1_CheckBatchRequest, CheckBatchRequest__Output as _chorus_consent_v1_CheckBatchRequest__Output } from '../../../chorus/consent/v1/CheckBatchRequest.js';
import type { CheckBatchResponse as _chorus_consent_v1_CheckBatchResponse, CheckBatchResponse__Output as _chorus_consent_v1_CheckBatchResponse__Output } from '../../../chorus/consent/v1/CheckBatchResponse.js';
import type { CheckRequest as _chorus_consent_v1_CheckRequest, CheckRequest__Output as _chorus_consent_v1_CheckRequest__Output } from '../../../chorus/consent/v1/CheckRequest.js';
import type { CheckResponse as _chorus_consent_v1_CheckResponse, CheckResponse__Output as _chorus_consent_v1_CheckResponse__Output } from '../../../chorus/consent/v1/CheckResponse.js';
import type { GetConsentRequest as _chorus_consent_v1_GetConsentRequest, GetConsentRequest__Output as _chorus_consent_v1_GetConsentRequest__Output } from '../../../chorus/consent/v1/GetConsentRequest.js';
import type { GetConsentResponse as _chorus_consent_v1_GetConsentResponse, GetConsentResponse__Output as _chorus_consent_v1_GetConsentResponse__Output } from '../../../chorus/consent/v1/GetConsentResponse.js';
import type { GetOrgPolicyRequest as _chorus_consent_v1_GetOrgPolicyRequest, GetOrgPolicyRequest__Output as _chorus_consent_v1_GetOrgPolicyRequest__Output } from '../../../chorus/consent/v1/GetOrgPolicyRequest.js';
import type { ListHistoryRequest as _chorus_consent_v1_ListHistoryRequest, ListHistoryRequest__Output as _chorus_consent_v1_ListHistoryRequest__Output } from '../../../chorus/consent/v1/ListHistoryRequest.js';
import type { ListHistoryResponse as _chorus_consent_v1_ListHistoryResponse, ListHistoryResponse__Output as _chorus_consent_v1_ListHistoryResponse__Output } from '../../../chorus/consent/v1/ListHistoryResponse.js';
import type { ListSuppressionsRequest as _chorus_consent_v1_ListSuppressionsRequest, ListSuppressionsRequest__Output as _chorus_consent_v1_ListSuppressionsRequest__Output } from '../../../chorus/consent/v1/ListSuppressionsRequest.js';
import type { ListSuppressionsResponse as _chorus_consent_v1_ListSuppressionsResponse, ListSuppressionsResponse__Output as _chorus_consent_v1_ListSuppressionsResponse__Output } from '../../../chorus/consent/v1/ListSuppressionsResponse.js';
import type { OrgPolicy as _chorus_consent_v1_OrgPolicy, OrgPolicy__Output as _chorus_consent_v1_OrgPolicy__Output } from '../../../chorus/consent/v1/OrgPolicy.js';
import type { RecordConsentResponse as _chorus_consent_v1_RecordConsentResponse, RecordConsentResponse__Output as _chorus_consent_v1_RecordConsentResponse__Output } from '../../../chorus/consent/v1/RecordConsentResponse.js';
import type { RecordOptInRequest as _chorus_consent_v1_RecordOptInRequest, RecordOptInRequest__Output as _chorus_consent_v1_RecordOptInRequest__Output } from '../../../chorus/consent/v1/RecordOptInRequest.js';
import type { RecordOptOutRequest as _chorus_consent_v1_RecordOptOutRequest, RecordOptOutRequest__Output as _chorus_consent_v1_RecordOptOutRequest__Output } from '../../../chorus/consent/v1/RecordOptOutRequest.js';
import type { RemoveSuppressionRequest as _chorus_consent_v1_RemoveSuppressionRequest, RemoveSuppressionRequest__Output as _chorus_consent_v1_RemoveSuppressionRequest__Output } from '../../../chorus/consent/v1/RemoveSuppressionRequest.js';
import type { RemoveSuppressionResponse as _chorus_consent_v1_RemoveSuppressionResponse, RemoveSuppressionResponse__Output as _chorus_consent_v1_RemoveSuppressionResponse__Output } from '../../../chorus/consent/v1/RemoveSuppressionResponse.js';
import type { Suppression as _chorus_consent_v1_Suppression, Suppression__Output as _chorus_consent_v1_Suppression__Output } from '../../../chorus/consent/v1/Suppression.js';
import type { UpsertOrgPolicyRequest as _chorus_consent_v1_UpsertOrgPolicyRequest, UpsertOrgPolicyRequest__Output as _chorus_consent_v1_UpsertOrgPolicyRequest__Output } from '../../../chorus/consent/v1/UpsertOrgPolicyRequest.js';

export interface ConsentServiceClient extends grpc.Client {
  AddSuppression(argument: _chorus_consent_v1_AddSuppressionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_Suppression__Output>): grpc.ClientUnaryCall;
  AddSuppression(argument: _chorus_consent_v1_AddSuppressionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_Suppression__Output>): grpc.ClientUnaryCall;
  AddSuppression(argument: _chorus_consent_v1_AddSuppressionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_Suppression__Output>): grpc.ClientUnaryCall;
  AddSuppression(argument: _chorus_consent_v1_AddSuppressionRequest, callback: grpc.requestCallback<_chorus_consent_v1_Suppression__Output>): grpc.ClientUnaryCall;
  addSuppression(argument: _chorus_consent_v1_AddSuppressionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_Suppression__Output>): grpc.ClientUnaryCall;
  addSuppression(argument: _chorus_consent_v1_AddSuppressionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_Suppression__Output>): grpc.ClientUnaryCall;
  addSuppression(argument: _chorus_consent_v1_AddSuppressionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_Suppression__Output>): grpc.ClientUnaryCall;
  addSuppression(argument: _chorus_consent_v1_AddSuppressionRequest, callback: grpc.requestCallback<_chorus_consent_v1_Suppression__Output>): grpc.ClientUnaryCall;
  
  AuthorizeComplianceReply(argument: _chorus_consent_v1_AuthorizeComplianceReplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_AuthorizeComplianceReplyResponse__Output>): grpc.ClientUnaryCall;
  AuthorizeComplianceReply(argument: _chorus_consent_v1_AuthorizeComplianceReplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_AuthorizeComplianceReplyResponse__Output>): grpc.ClientUnaryCall;
  AuthorizeComplianceReply(argument: _chorus_consent_v1_AuthorizeComplianceReplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_AuthorizeComplianceReplyResponse__Output>): grpc.ClientUnaryCall;
  AuthorizeComplianceReply(argument: _chorus_consent_v1_AuthorizeComplianceReplyRequest, callback: grpc.requestCallback<_chorus_consent_v1_AuthorizeComplianceReplyResponse__Output>): grpc.ClientUnaryCall;
  authorizeComplianceReply(argument: _chorus_consent_v1_AuthorizeComplianceReplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_AuthorizeComplianceReplyResponse__Output>): grpc.ClientUnaryCall;
  authorizeComplianceReply(argument: _chorus_consent_v1_AuthorizeComplianceReplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_AuthorizeComplianceReplyResponse__Output>): grpc.ClientUnaryCall;
  authorizeComplianceReply(argument: _chorus_consent_v1_AuthorizeComplianceReplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_AuthorizeComplianceReplyResponse__Output>): grpc.ClientUnaryCall;
  authorizeComplianceReply(argument: _chorus_consent_v1_AuthorizeComplianceReplyRequest, callback: grpc.requestCallback<_chorus_consent_v1_AuthorizeComplianceReplyResponse__Output>): grpc.ClientUnaryCall;
  
  Check(argument: _chorus_consent_v1_CheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  Check(argument: _chorus_consent_v1_CheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  Check(argument: _chorus_consent_v1_CheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  Check(argument: _chorus_consent_v1_CheckRequest, callback: grpc.requestCallback<_chorus_consent_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _chorus_consent_v1_CheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _chorus_consent_v1_CheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _chorus_consent_v1_CheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _chorus_consent_v1_CheckRequest, callback: grpc.requestCallback<_chorus_consent_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  
  CheckBatch(argument: _chorus_consent_v1_CheckBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_CheckBatchResponse__Output>): grpc.ClientUnaryCall;
  CheckBatch(argument: _chorus_consent_v1_CheckBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_CheckBatchResponse__Output>): grpc.ClientUnaryCall;
  CheckBatch(argument: _chorus_consent_v1_CheckBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_CheckBatchResponse__Output>): grpc.ClientUnaryCall;
  CheckBatch(argument: _chorus_consent_v1_CheckBatchRequest, callback: grpc.requestCallback<_chorus_consent_v1_CheckBatchResponse__Output>): grpc.ClientUnaryCall;
  checkBatch(argument: _chorus_consent_v1_CheckBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_CheckBatchResponse__Output>): grpc.ClientUnaryCall;
  checkBatch(argument: _chorus_consent_v1_CheckBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_CheckBatchResponse__Output>): grpc.ClientUnaryCall;
  checkBatch(argument: _chorus_consent_v1_CheckBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_CheckBatchResponse__Output>): grpc.ClientUnaryCall;
  checkBatch(argument: _chorus_consent_v1_CheckBatchRequest, callback: grpc.requestCallback<_chorus_consent_v1_CheckBatchResponse__Output>): grpc.ClientUnaryCall;
  
  GetConsent(argument: _chorus_consent_v1_GetConsentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_GetConsentResponse__Output>): grpc.ClientUnaryCall;
  GetConsent(argument: _chorus_consent_v1_GetConsentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_GetConsentResponse__Output>): grpc.ClientUnaryCall;
  GetConsent(argument: _chorus_consent_v1_GetConsentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_GetConsentResponse__Output>): grpc.ClientUnaryCall;
  GetConsent(argument: _chorus_consent_v1_GetConsentRequest, callback: grpc.requestCallback<_chorus_consent_v1_GetConsentResponse__Output>): grpc.ClientUnaryCall;
  getConsent(argument: _chorus_consent_v1_GetConsentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_GetConsentResponse__Output>): grpc.ClientUnaryCall;
  getConsent(argument: _chorus_consent_v1_GetConsentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_GetConsentResponse__Output>): grpc.ClientUnaryCall;
  getConsent(argument: _chorus_consent_v1_GetConsentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_GetConsentResponse__Output>): grpc.ClientUnaryCall;
  getConsent(argument: _chorus_consent_v1_GetConsentRequest, callback: grpc.requestCallback<_chorus_consent_v1_GetConsentResponse__Output>): grpc.ClientUnaryCall;
  
  GetOrgPolicy(argument: _chorus_consent_v1_GetOrgPolicyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  GetOrgPolicy(argument: _chorus_consent_v1_GetOrgPolicyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  GetOrgPolicy(argument: _chorus_consent_v1_GetOrgPolicyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  GetOrgPolicy(argument: _chorus_consent_v1_GetOrgPolicyRequest, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  getOrgPolicy(argument: _chorus_consent_v1_GetOrgPolicyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  getOrgPolicy(argument: _chorus_consent_v1_GetOrgPolicyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  getOrgPolicy(argument: _chorus_consent_v1_GetOrgPolicyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  getOrgPolicy(argument: _chorus_consent_v1_GetOrgPolicyRequest, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  
  ListHistory(argument: _chorus_consent_v1_ListHistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_ListHistoryResponse__Output>): grpc.ClientUnaryCall;
  ListHistory(argument: _chorus_consent_v1_ListHistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_ListHistoryResponse__Output>): grpc.ClientUnaryCall;
  ListHistory(argument: _chorus_consent_v1_ListHistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_ListHistoryResponse__Output>): grpc.ClientUnaryCall;
  ListHistory(argument: _chorus_consent_v1_ListHistoryRequest, callback: grpc.requestCallback<_chorus_consent_v1_ListHistoryResponse__Output>): grpc.ClientUnaryCall;
  listHistory(argument: _chorus_consent_v1_ListHistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_ListHistoryResponse__Output>): grpc.ClientUnaryCall;
  listHistory(argument: _chorus_consent_v1_ListHistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_ListHistoryResponse__Output>): grpc.ClientUnaryCall;
  listHistory(argument: _chorus_consent_v1_ListHistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_ListHistoryResponse__Output>): grpc.ClientUnaryCall;
  listHistory(argument: _chorus_consent_v1_ListHistoryRequest, callback: grpc.requestCallback<_chorus_consent_v1_ListHistoryResponse__Output>): grpc.ClientUnaryCall;
  
  ListSuppressions(argument: _chorus_consent_v1_ListSuppressionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_ListSuppressionsResponse__Output>): grpc.ClientUnaryCall;
  ListSuppressions(argument: _chorus_consent_v1_ListSuppressionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_ListSuppressionsResponse__Output>): grpc.ClientUnaryCall;
  ListSuppressions(argument: _chorus_consent_v1_ListSuppressionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_ListSuppressionsResponse__Output>): grpc.ClientUnaryCall;
  ListSuppressions(argument: _chorus_consent_v1_ListSuppressionsRequest, callback: grpc.requestCallback<_chorus_consent_v1_ListSuppressionsResponse__Output>): grpc.ClientUnaryCall;
  listSuppressions(argument: _chorus_consent_v1_ListSuppressionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_ListSuppressionsResponse__Output>): grpc.ClientUnaryCall;
  listSuppressions(argument: _chorus_consent_v1_ListSuppressionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_ListSuppressionsResponse__Output>): grpc.ClientUnaryCall;
  listSuppressions(argument: _chorus_consent_v1_ListSuppressionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_ListSuppressionsResponse__Output>): grpc.ClientUnaryCall;
  listSuppressions(argument: _chorus_consent_v1_ListSuppressionsRequest, callback: grpc.requestCallback<_chorus_consent_v1_ListSuppressionsResponse__Output>): grpc.ClientUnaryCall;
  
  RecordOptIn(argument: _chorus_consent_v1_RecordOptInRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  RecordOptIn(argument: _chorus_consent_v1_RecordOptInRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  RecordOptIn(argument: _chorus_consent_v1_RecordOptInRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  RecordOptIn(argument: _chorus_consent_v1_RecordOptInRequest, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  recordOptIn(argument: _chorus_consent_v1_RecordOptInRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  recordOptIn(argument: _chorus_consent_v1_RecordOptInRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  recordOptIn(argument: _chorus_consent_v1_RecordOptInRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  recordOptIn(argument: _chorus_consent_v1_RecordOptInRequest, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  
  RecordOptOut(argument: _chorus_consent_v1_RecordOptOutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  RecordOptOut(argument: _chorus_consent_v1_RecordOptOutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  RecordOptOut(argument: _chorus_consent_v1_RecordOptOutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  RecordOptOut(argument: _chorus_consent_v1_RecordOptOutRequest, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  recordOptOut(argument: _chorus_consent_v1_RecordOptOutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  recordOptOut(argument: _chorus_consent_v1_RecordOptOutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  recordOptOut(argument: _chorus_consent_v1_RecordOptOutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  recordOptOut(argument: _chorus_consent_v1_RecordOptOutRequest, callback: grpc.requestCallback<_chorus_consent_v1_RecordConsentResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveSuppression(argument: _chorus_consent_v1_RemoveSuppressionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RemoveSuppressionResponse__Output>): grpc.ClientUnaryCall;
  RemoveSuppression(argument: _chorus_consent_v1_RemoveSuppressionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_RemoveSuppressionResponse__Output>): grpc.ClientUnaryCall;
  RemoveSuppression(argument: _chorus_consent_v1_RemoveSuppressionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RemoveSuppressionResponse__Output>): grpc.ClientUnaryCall;
  RemoveSuppression(argument: _chorus_consent_v1_RemoveSuppressionRequest, callback: grpc.requestCallback<_chorus_consent_v1_RemoveSuppressionResponse__Output>): grpc.ClientUnaryCall;
  removeSuppression(argument: _chorus_consent_v1_RemoveSuppressionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RemoveSuppressionResponse__Output>): grpc.ClientUnaryCall;
  removeSuppression(argument: _chorus_consent_v1_RemoveSuppressionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_RemoveSuppressionResponse__Output>): grpc.ClientUnaryCall;
  removeSuppression(argument: _chorus_consent_v1_RemoveSuppressionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_RemoveSuppressionResponse__Output>): grpc.ClientUnaryCall;
  removeSuppression(argument: _chorus_consent_v1_RemoveSuppressionRequest, callback: grpc.requestCallback<_chorus_consent_v1_RemoveSuppressionResponse__Output>): grpc.ClientUnaryCall;
  
  UpsertOrgPolicy(argument: _chorus_consent_v1_UpsertOrgPolicyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  UpsertOrgPolicy(argument: _chorus_consent_v1_UpsertOrgPolicyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  UpsertOrgPolicy(argument: _chorus_consent_v1_UpsertOrgPolicyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  UpsertOrgPolicy(argument: _chorus_consent_v1_UpsertOrgPolicyRequest, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  upsertOrgPolicy(argument: _chorus_consent_v1_UpsertOrgPolicyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  upsertOrgPolicy(argument: _chorus_consent_v1_UpsertOrgPolicyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  upsertOrgPolicy(argument: _chorus_consent_v1_UpsertOrgPolicyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  upsertOrgPolicy(argument: _chorus_consent_v1_UpsertOrgPolicyRequest, callback: grpc.requestCallback<_chorus_consent_v1_OrgPolicy__Output>): grpc.ClientUnaryCall;
  
}

export interface ConsentServiceHandlers extends grpc.UntypedServiceImplementation {
  AddSuppression: grpc.handleUnaryCall<_chorus_consent_v1_AddSuppressionRequest__Output, _chorus_consent_v1_Suppression>;
  
  AuthorizeComplianceReply: grpc.handleUnaryCall<_chorus_consent_v1_AuthorizeComplianceReplyRequest__Output, _chorus_consent_v1_AuthorizeComplianceReplyResponse>;
  
  Check: grpc.handleUnaryCall<_chorus_consent_v1_CheckRequest__Output, _chorus_consent_v1_CheckResponse>;
  
  CheckBatch: grpc.handleUnaryCall<_chorus_consent_v1_CheckBatchRequest__Output, _chorus_consent_v1_CheckBatchResponse>;
  
  GetConsent: grpc.handleUnaryCall<_chorus_consent_v1_GetConsentRequest__Output, _chorus_consent_v1_GetConsentResponse>;
  
  GetOrgPolicy: grpc.handleUnaryCall<_chorus_consent_v1_GetOrgPolicyRequest__Output, _chorus_consent_v1_OrgPolicy>;
  
  ListHistory: grpc.handleUnaryCall<_chorus_consent_v1_ListHistoryRequest__Output, _chorus_consent_v1_ListHistoryResponse>;
  
  ListSuppressions: grpc.handleUnaryCall<_chorus_consent_v1_ListSuppressionsRequest__Output, _chorus_consent_v1_ListSuppressionsResponse>;
  
  RecordOptIn: grpc.handleUnaryCall<_chorus_consent_v1_RecordOptInRequest__Output, _chorus_consent_v1_RecordConsentResponse>;
  
  RecordOptOut: grpc.handleUnaryCall<_chorus_consent_v1_RecordOptOutRequest__Output, _chorus_consent_v1_RecordConsentResponse>;
  
  RemoveSuppression: grpc.handleUnaryCall<_chorus_consent_v1_RemoveSuppressionRequest__Output, _chorus_consent_v1_RemoveSuppressionResponse>;
  
  UpsertOrgPolicy: grpc.handleUnaryCall<_chorus_consent_v1_UpsertOrgPolicyRequest__Output, _chorus_consent_v1_OrgPolicy>;
  
}

export interface ConsentServiceDefinition extends grpc.ServiceDefinition {
  AddSuppression: MethodDefinition<_chorus_consent_v1_AddSuppressionRequest, _chorus_consent_v1_Suppression, _chorus_consent_v1_AddSuppressionRequest__Output, _chorus_consent_v1_Suppression__Output>
  AuthorizeComplianceReply: MethodDefinition<_chorus_consent_v1_AuthorizeComplianceReplyRequest, _chorus_consent_v1_AuthorizeComplianceReplyResponse, _chorus_consent_v1_AuthorizeComplianceReplyRequest__Output, _chorus_consent_v1_AuthorizeComplianceReplyResponse__Output>
  Check: MethodDefinition<_chorus_consent_v1_CheckRequest, _chorus_consent_v1_CheckResponse, _chorus_consent_v1_CheckRequest__Output, _chorus_consent_v1_CheckResponse__Output>
  CheckBatch: MethodDefinition<_chorus_consent_v1_CheckBatchRequest, _chorus_consent_v1_CheckBatchResponse, _chorus_consent_v1_CheckBatchRequest__Output, _chorus_consent_v1_CheckBatchResponse__Output>
  GetConsent: MethodDefinition<_chorus_consent_v1_GetConsentRequest, _chorus_consent_v1_GetConsentResponse, _chorus_consent_v1_GetConsentRequest__Output, _chorus_consent_v1_GetConsentResponse__Output>
  GetOrgPolicy: MethodDefinition<_chorus_consent_v1_GetOrgPolicyRequest, _chorus_consent_v1_OrgPolicy, _chorus_consent_v1_GetOrgPolicyRequest__Output, _chorus_consent_v1_OrgPolicy__Output>
  ListHistory: MethodDefinition<_chorus_consent_v1_ListHistoryRequest, _chorus_consent_v1_ListHistoryResponse, _chorus_consent_v1_ListHistoryRequest__Output, _chorus_consent_v1_ListHistoryResponse__Output>
  ListSuppressions: MethodDefinition<_chorus_consent_v1_ListSuppressionsRequest, _chorus_consent_v1_ListSuppressionsResponse, _chorus_consent_v1_ListSuppressionsRequest__Output, _chorus_consent_v1_ListSuppressionsResponse__Output>
  RecordOptIn: MethodDefinition<_chorus_consent_v1_RecordOptInRequest, _chorus_consent_v1_RecordConsentResponse, _chorus_consent_v1_RecordOptInRequest__Output, _chorus_consent_v1_RecordConsentResponse__Output>
  RecordOptOut: MethodDefinition<_chorus_consent_v1_RecordOptOutRequest, _chorus_consent_v1_RecordConsentResponse, _chorus_consent_v1_RecordOptOutRequest__Output, _chorus_consent_v1_RecordConsentResponse__Output>
  RemoveSuppression: MethodDefinition<_chorus_consent_v1_RemoveSuppressionRequest, _chorus_consent_v1_RemoveSuppressionResponse, _chorus_consent_v1_RemoveSuppressionRequest__Output, _chorus_consent_v1_RemoveSuppressionResponse__Output>
  UpsertOrgPolicy: MethodDefinition<_chorus_consent_v1_UpsertOrgPolicyRequest, _chorus_consent_v1_OrgPolicy, _chorus_consent_v1_UpsertOrgPolicyRequest__Output, _chorus_consent_v1_OrgPolicy__Output>
}
