import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddSuppressionRequest as _chorus_consent_v1_AddSuppressionRequest, AddSuppressionRequest__Output as _chorus_consent_v1_AddSuppressionRequest__Output } from './chorus/consent/v1/AddSuppressionRequest.js';
import type { AuthorizeComplianceReplyRequest as _chorus_consent_v1_AuthorizeComplianceReplyRequest, AuthorizeComplianceReplyRequest__Output as _chorus_consent_v1_AuthorizeComplianceReplyRequest__Output } from './chorus/consent/v1/AuthorizeComplianceReplyRequest.js';
import type { AuthorizeComplianceReplyResponse as _chorus_consent_v1_AuthorizeComplianceReplyResponse, AuthorizeComplianceReplyResponse__Output as _chorus_consent_v1_AuthorizeComplianceReplyResponse__Output } from './chorus/consent/v1/AuthorizeComplianceReplyResponse.js';
import type { CheckBatchRequest as _chorus_consent_v1_CheckBatchRequest, CheckBatchRequest__Output as _chorus_consent_v1_CheckBatchRequest__Output } from './chorus/consent/v1/CheckBatchRequest.js';
import type { CheckBatchResponse as _chorus_consent_v1_CheckBatchResponse, CheckBatchResponse__Output as _chorus_consent_v1_CheckBatchResponse__Output } from './chorus/consent/v1/CheckBatchResponse.js';
import type { CheckRequest as _chorus_consent_v1_CheckRequest, CheckRequest__Output as _chorus_consent_v1_CheckRequest__Output } from './chorus/consent/v1/CheckRequest.js';
import type { CheckResponse as _chorus_consent_v1_CheckResponse, CheckResponse__Output as _chorus_consent_v1_CheckResponse__Output } from './chorus/consent/v1/CheckResponse.js';
import type { Consent as _chorus_consent_v1_Consent, Consent__Output as _chorus_consent_v1_Consent__Output } from './chorus/consent/v1/Consent.js';
import type { ConsentEvent as _chorus_consent_v1_ConsentEvent, ConsentEvent__Output as _chorus_consent_v1_ConsentEvent__Output } from './chorus/consent/v1/ConsentEvent.js';
import type { ConsentServiceClient as _chorus_consent_v1_ConsentServiceClient, ConsentServiceDefinition as _chorus_consent_v1_ConsentServiceDefinition } from './chorus/consent/v1/ConsentService.js';
import type { Evidence as _chorus_consent_v1_Evidence, Evidence__Output as _chorus_consent_v1_Evidence__Output } from './chorus/consent/v1/Evidence.js';
import type { FrequencyCap as _chorus_consent_v1_FrequencyCap, FrequencyCap__Output as _chorus_consent_v1_FrequencyCap__Output } from './chorus/consent/v1/FrequencyCap.js';
import type { GetConsentRequest as _chorus_consent_v1_GetConsentRequest, GetConsentRequest__Output as _chorus_consent_v1_GetConsentRequest__Output } from './chorus/consent/v1/GetConsentRequest.js';
import type { GetConsentResponse as _chorus_consent_v1_GetConsentResponse, GetConsentResponse__Output as _chorus_consent_v1_GetConsentResponse__Output } from './chorus/consent/v1/GetConsentResponse.js';
import type { GetOrgPolicyRequest as _chorus_consent_v1_GetOrgPolicyRequest, GetOrgPolicyRequest__Output as _chorus_consent_v1_GetOrgPolicyRequest__Output } from './chorus/consent/v1/GetOrgPolicyRequest.js';
import type { ListHistoryRequest as _chorus_consent_v1_ListHistoryRequest, ListHistoryRequest__Output as _chorus_consent_v1_ListHistoryRequest__Output } from './chorus/consent/v1/ListHistoryRequest.js';
import type { ListHistoryResponse as _chorus_consent_v1_ListHistoryResponse, ListHistoryResponse__Output as _chorus_consent_v1_ListHistoryResponse__Output } from './chorus/consent/v1/ListHistoryResponse.js';
import type { ListSuppressionsRequest as _chorus_consent_v1_ListSuppressionsRequest, ListSuppressionsRequest__Output as _chorus_consent_v1_ListSuppressionsRequest__Output } from './chorus/consent/v1/ListSuppressionsRequest.js';
import type { ListSuppressionsResponse as _chorus_consent_v1_ListSuppressionsResponse, ListSuppressionsResponse__Output as _chorus_consent_v1_ListSuppressionsResponse__Output } from './chorus/consent/v1/ListSuppressionsResponse.js';
import type { OrgPolicy as _chorus_consent_v1_OrgPolicy, OrgPolicy__Output as _chorus_consent_v1_OrgPolicy__Output } from './chorus/consent/v1/OrgPolicy.js';
import type { RecordConsentResponse as _chorus_consent_v1_RecordConsentResponse, RecordConsentResponse__Output as _chorus_consent_v1_RecordConsentResponse__Output } from './chorus/consent/v1/RecordConsentResponse.js';
import type { RecordOptInRequest as _chorus_consent_v1_RecordOptInRequest, RecordOptInRequest__Output as _chorus_consent_v1_RecordOptInRequest__Output } from './chorus/consent/v1/RecordOptInRequest.js';
import type { RecordOptOutRequest as _chorus_consent_v1_RecordOptOutRequest, RecordOptOutRequest__Output as _chorus_consent_v1_RecordOptOutRequest__Output } from './chorus/consent/v1/RecordOptOutRequest.js';
import type { RemoveSuppressionRequest as _chorus_consent_v1_RemoveSuppressionRequest, RemoveSuppressionRequest__Output as _chorus_consent_v1_RemoveSuppressionRequest__Output } from './chorus/consent/v1/RemoveSuppressionRequest.js';
import type { RemoveSuppressionResponse as _chorus_consent_v1_RemoveSuppressionResponse, RemoveSuppressionResponse__Output as _chorus_consent_v1_RemoveSuppressionResponse__Output } from './chorus/consent/v1/RemoveSuppressionResponse.js';
import type { Suppression as _chorus_consent_v1_Suppression, Suppression__Output as _chorus_consent_v1_Suppression__Output } from './chorus/consent/v1/Suppression.js';
import type { UpsertOrgPolicyRequest as _chorus_consent_v1_UpsertOrgPolicyRequest, UpsertOrgPolicyRequest__Output as _chorus_consent_v1_UpsertOrgPolicyRequest__Output } from './chorus/consent/v1/UpsertOrgPolicyRequest.js';
import type { AssignNumberRequest as _chorus_dispatch_v1_AssignNumberRequest, AssignNumberRequest__Output as _chorus_dispatch_v1_AssignNumberRequest__Output } from './chorus/dispatch/v1/AssignNumberRequest.js';
import type { CancelMessageRequest as _chorus_dispatch_v1_CancelMessageRequest, CancelMessageRequest__Output as _chorus_dispatch_v1_CancelMessageRequest__Output } from './chorus/dispatch/v1/CancelMessageRequest.js';
import type { DispatchServiceClient as _chorus_dispatch_v1_DispatchServiceClient, DispatchServiceDefinition as _chorus_dispatch_v1_DispatchServiceDefinition } from './chorus/dispatch/v1/DispatchService.js';
import type { GetMessageRequest as _chorus_dispatch_v1_GetMessageRequest, GetMessageRequest__Output as _chorus_dispatch_v1_GetMessageRequest__Output } from './chorus/dispatch/v1/GetMessageRequest.js';
import type { ListMessagesRequest as _chorus_dispatch_v1_ListMessagesRequest, ListMessagesRequest__Output as _chorus_dispatch_v1_ListMessagesRequest__Output } from './chorus/dispatch/v1/ListMessagesRequest.js';
import type { ListMessagesResponse as _chorus_dispatch_v1_ListMessagesResponse, ListMessagesResponse__Output as _chorus_dispatch_v1_ListMessagesResponse__Output } from './chorus/dispatch/v1/ListMessagesResponse.js';
import type { ListNumbersRequest as _chorus_dispatch_v1_ListNumbersRequest, ListNumbersRequest__Output as _chorus_dispatch_v1_ListNumbersRequest__Output } from './chorus/dispatch/v1/ListNumbersRequest.js';
import type { ListNumbersResponse as _chorus_dispatch_v1_ListNumbersResponse, ListNumbersResponse__Output as _chorus_dispatch_v1_ListNumbersResponse__Output } from './chorus/dispatch/v1/ListNumbersResponse.js';
import type { Message as _chorus_dispatch_v1_Message, Message__Output as _chorus_dispatch_v1_Message__Output } from './chorus/dispatch/v1/Message.js';
import type { SendBatchItemResult as _chorus_dispatch_v1_SendBatchItemResult, SendBatchItemResult__Output as _chorus_dispatch_v1_SendBatchItemResult__Output } from './chorus/dispatch/v1/SendBatchItemResult.js';
import type { SendBatchRequest as _chorus_dispatch_v1_SendBatchRequest, SendBatchRequest__Output as _chorus_dispatch_v1_SendBatchRequest__Output } from './chorus/dispatch/v1/SendBatchRequest.js';
import type { SendBatchResponse as _chorus_dispatch_v1_SendBatchResponse, SendBatchResponse__Output as _chorus_dispatch_v1_SendBatchResponse__Output } from './chorus/dispatch/v1/SendBatchResponse.js';
import type { SendMessageRequest as _chorus_dispatch_v1_SendMessageRequest, SendMessageRequest__Output as _chorus_dispatch_v1_SendMessageRequest__Output } from './chorus/dispatch/v1/SendMessageRequest.js';
import type { SendMessageResponse as _chorus_dispatch_v1_SendMessageResponse, SendMessageResponse__Output as _chorus_dispatch_v1_SendMessageResponse__Output } from './chorus/dispatch/v1/SendMessageResponse.js';
import type { SenderNumber as _chorus_dispatch_v1_SenderNumber, SenderNumber__Output as _chorus_dispatch_v1_SenderNumber__Output } from './chorus/dispatch/v1/SenderNumber.js';
import type { StatusChange as _chorus_dispatch_v1_StatusChange, StatusChange__Output as _chorus_dispatch_v1_StatusChange__Output } from './chorus/dispatch/v1/StatusChange.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  chorus: {
    consent: {
      v1: {
        AddSuppressionRequest: MessageTypeDefinition<_chorus_consent_v1_AddSuppressionRequest, _chorus_consent_v1_AddSuppressionRequest__Output>
        AuthorizeComplianceReplyRequest: MessageTypeDefinition<_chorus_consent_v1_AuthorizeComplianceReplyRequest, _chorus_consent_v1_AuthorizeComplianceReplyRequest__Output>
        AuthorizeComplianceReplyResponse: MessageTypeDefinition<_chorus_consent_v1_AuthorizeComplianceReplyResponse, _chorus_consent_v1_AuthorizeComplianceReplyResponse__Output>
        CheckBatchRequest: MessageTypeDefinition<_chorus_consent_v1_CheckBatchRequest, _chorus_consent_v1_CheckBatchRequest__Output>
        CheckBatchResponse: MessageTypeDefinition<_chorus_consent_v1_CheckBatchResponse, _chorus_consent_v1_CheckBatchResponse__Output>
        CheckRequest: MessageTypeDefinition<_chorus_consent_v1_CheckRequest, _chorus_consent_v1_CheckRequest__Output>
        CheckResponse: MessageTypeDefinition<_chorus_consent_v1_CheckResponse, _chorus_consent_v1_CheckResponse__Output>
        ComplianceReplyKind: EnumTypeDefinition
        Consent: MessageTypeDefinition<_chorus_consent_v1_Consent, _chorus_consent_v1_Consent__Output>
        ConsentEvent: MessageTypeDefinition<_chorus_consent_v1_ConsentEvent, _chorus_consent_v1_ConsentEvent__Output>
        ConsentService: SubtypeConstructor<typeof grpc.Client, _chorus_consent_v1_ConsentServiceClient> & { service: _chorus_consent_v1_ConsentServiceDefinition }
        ConsentSource: EnumTypeDefinition
        ConsentStatus: EnumTypeDefinition
        Decision: EnumTypeDefinition
        DenyReason: EnumTypeDefinition
        Evidence: MessageTypeDefinition<_chorus_consent_v1_Evidence, _chorus_consent_v1_Evidence__Output>
        FrequencyCap: MessageTypeDefinition<_chorus_consent_v1_FrequencyCap, _chorus_consent_v1_FrequencyCap__Output>
        GetConsentRequest: MessageTypeDefinition<_chorus_consent_v1_GetConsentRequest, _chorus_consent_v1_GetConsentRequest__Output>
        GetConsentResponse: MessageTypeDefinition<_chorus_consent_v1_GetConsentResponse, _chorus_consent_v1_GetConsentResponse__Output>
        GetOrgPolicyRequest: MessageTypeDefinition<_chorus_consent_v1_GetOrgPolicyRequest, _chorus_consent_v1_GetOrgPolicyRequest__Output>
        ListHistoryRequest: MessageTypeDefinition<_chorus_consent_v1_ListHistoryRequest, _chorus_consent_v1_ListHistoryRequest__Output>
        ListHistoryResponse: MessageTypeDefinition<_chorus_consent_v1_ListHistoryResponse, _chorus_consent_v1_ListHistoryResponse__Output>
        ListSuppressionsRequest: MessageTypeDefinition<_chorus_consent_v1_ListSuppressionsRequest, _chorus_consent_v1_ListSuppressionsRequest__Output>
        ListSuppressionsResponse: MessageTypeDefinition<_chorus_consent_v1_ListSuppressionsResponse, _chorus_consent_v1_ListSuppressionsResponse__Output>
        OrgPolicy: MessageTypeDefinition<_chorus_consent_v1_OrgPolicy, _chorus_consent_v1_OrgPolicy__Output>
        Purpose: EnumTypeDefinition
        RecordConsentResponse: MessageTypeDefinition<_chorus_consent_v1_RecordConsentResponse, _chorus_consent_v1_RecordConsentResponse__Output>
        RecordOptInRequest: MessageTypeDefinition<_chorus_consent_v1_RecordOptInRequest, _chorus_consent_v1_RecordOptInRequest__Output>
        RecordOptOutRequest: MessageTypeDefinition<_chorus_consent_v1_RecordOptOutRequest, _chorus_consent_v1_RecordOptOutRequest__Output>
        RemoveSuppressionRequest: MessageTypeDefinition<_chorus_consent_v1_RemoveSuppressionRequest, _chorus_consent_v1_RemoveSuppressionRequest__Output>
        RemoveSuppressionResponse: MessageTypeDefinition<_chorus_consent_v1_RemoveSuppressionResponse, _chorus_consent_v1_RemoveSuppressionResponse__Output>
        Suppression: MessageTypeDefinition<_chorus_consent_v1_Suppression, _chorus_consent_v1_Suppression__Output>
        UpsertOrgPolicyRequest: MessageTypeDefinition<_chorus_consent_v1_UpsertOrgPolicyRequest, _chorus_consent_v1_UpsertOrgPolicyRequest__Output>
      }
    }
    dispatch: {
      v1: {
        AssignNumberRequest: MessageTypeDefinition<_chorus_dispatch_v1_AssignNumberRequest, _chorus_dispatch_v1_AssignNumberRequest__Output>
        CancelMessageRequest: MessageTypeDefinition<_chorus_dispatch_v1_CancelMessageRequest, _chorus_dispatch_v1_CancelMessageRequest__Output>
        DispatchService: SubtypeConstructor<typeof grpc.Client, _chorus_dispatch_v1_DispatchServiceClient> & { service: _chorus_dispatch_v1_DispatchServiceDefinition }
        GetMessageRequest: MessageTypeDefinition<_chorus_dispatch_v1_GetMessageRequest, _chorus_dispatch_v1_GetMessageRequest__Output>
        ListMessagesRequest: MessageTypeDefinition<_chorus_dispatch_v1_ListMessagesRequest, _chorus_dispatch_v1_ListMessagesRequest__Output>
        ListMessagesResponse: MessageTypeDefinition<_chorus_dispatch_v1_ListMessagesResponse, _chorus_dispatch_v1_ListMessagesResponse__Output>
        ListNumbersRequest: MessageTypeDefinition<_chorus_dispatch_v1_ListNumbersRequest, _chorus_dispatch_v1_ListNumbersRequest__Output>
        ListNumbersResponse: MessageTypeDefinition<_chorus_dispatch_v1_ListNumbersResponse, _chorus_dispatch_v1_ListNumbersResponse__Output>
        Message: MessageTypeDefinition<_chorus_dispatch_v1_Message, _chorus_dispatch_v1_Message__Output>
        MessageStatus: EnumTypeDefinition
        SendBatchItemResult: MessageTypeDefinition<_chorus_dispatch_v1_SendBatchItemResult, _chorus_dispatch_v1_SendBatchItemResult__Output>
        SendBatchRequest: MessageTypeDefinition<_chorus_dispatch_v1_SendBatchRequest, _chorus_dispatch_v1_SendBatchRequest__Output>
        SendBatchResponse: MessageTypeDefinition<_chorus_dispatch_v1_SendBatchResponse, _chorus_dispatch_v1_SendBatchResponse__Output>
        SendMessageRequest: MessageTypeDefinition<_chorus_dispatch_v1_SendMessageRequest, _chorus_dispatch_v1_SendMessageRequest__Output>
        SendMessageResponse: MessageTypeDefinition<_chorus_dispatch_v1_SendMessageResponse, _chorus_dispatch_v1_SendMessageResponse__Output>
        SenderNumber: MessageTypeDefinition<_chorus_dispatch_v1_SenderNumber, _chorus_dispatch_v1_SenderNumber__Output>
        StatusChange: MessageTypeDefinition<_chorus_dispatch_v1_StatusChange, _chorus_dispatch_v1_StatusChange__Output>
      }
    }
  }
}

