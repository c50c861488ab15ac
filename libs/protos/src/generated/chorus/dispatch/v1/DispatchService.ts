// Original file: chorus/dispatch/v1/dispatch_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AssignNumberRequest as _chorus_dispatch_v1_AssignNumberRequest, AssignNumberRequest__Output as _chorus_dispatch_v1_AssignNumberRequest__Output } from '../../../chorus/dispatch/v1/AssignNumberRequest.js';
import type { CancelMessageRequest as _chorus_dispatch_v1_CancelMessageRequest, CancelMessageRequest__Output as _chorus_dispatch_v1_CancelMessageRequest__Output } from '../../../chorus/dispatch/v1/CancelMessageRequest.js';
import type { GetMessageRequest as _chorus_dispatch_v1_GetMessageRequest, GetMessageRequest__Output as _chorus_dispatch_v1_GetMessageRequest__Output } from '../../../chorus/dispatch/v1/GetMessageRequest.js';
import type { ListMessagesRequest as _chorus_dispatch_v1_ListMessagesRequest, ListMessagesRequest__Output as _chorus_dispatch_v1_ListMessagesRequest__Output } from '../../../chorus/dispatch/v1/ListMessagesRequest.js';
import type { ListMessagesResponse as _chorus_dispatch_v1_ListMessagesResponse, ListMessagesResponse__Output as _chorus_dispatch_v1_ListMessagesResponse__Output } from '../../../chorus/dispatch/v1/ListMessagesResponse.js';
import type { ListNumbersRequest as _chorus_dispatch_v1_ListNumbersRequest, ListNumbersRequest__Output as _chorus_dispatch_v1_ListNumbersRequest__Output } from '../../../chorus/dispatch/v1/ListNumbersRequest.js';
import type { ListNumbersResponse as _chorus_dispatch_v1_ListNumbersResponse, ListNumbersResponse__Output as _chorus_dispatch_v1_ListNumbersResponse__Output } from '../../../chorus/dispatch/v1/ListNumbersResponse.js';
import type { Message as _chorus_dispatch_v1_Message, Message__Output as _chorus_dispatch_v1_Message__Output } from '../../../chorus/dispatch/v1/Message.js';
import type { SendBatchRequest as _chorus_dispatch_v1_SendBatchRequest, SendBatchRequest__Output as _chorus_dispatch_v1_SendBatchRequest__Output } from '../../../chorus/dispatch/v1/SendBatchRequest.js';
import type { SendBatchResponse as _chorus_dispatch_v1_SendBatchResponse, SendBatchResponse__Output as _chorus_dispatch_v1_SendBatchResponse__Output } from '../../../chorus/dispatch/v1/SendBatchResponse.js';
import type { SendMessageRequest as _chorus_dispatch_v1_SendMessageRequest, SendMessageRequest__Output as _chorus_dispatch_v1_SendMessageRequest__Output } from '../../../chorus/dispatch/v1/SendMessageRequest.js';
import type { SendMessageResponse as _chorus_dispatch_v1_SendMessageResponse, SendMessageResponse__Output as _chorus_dispatch_v1_SendMessageResponse__Output } from '../../../chorus/dispatch/v1/SendMessageResponse.js';
import type { SenderNumber as _chorus_dispatch_v1_SenderNumber, SenderNumber__Output as _chorus_dispatch_v1_SenderNumber__Output } from '../../../chorus/dispatch/v1/SenderNumber.js';

export interface DispatchServiceClient extends grpc.Client {
  AssignNumber(argument: _chorus_dispatch_v1_AssignNumberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SenderNumber__Output>): grpc.ClientUnaryCall;
  AssignNumber(argument: _chorus_dispatch_v1_AssignNumberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_SenderNumber__Output>): grpc.ClientUnaryCall;
  AssignNumber(argument: _chorus_dispatch_v1_AssignNumberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SenderNumber__Output>): grpc.ClientUnaryCall;
  AssignNumber(argument: _chorus_dispatch_v1_AssignNumberRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_SenderNumber__Output>): grpc.ClientUnaryCall;
  assignNumber(argument: _chorus_dispatch_v1_AssignNumberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SenderNumber__Output>): grpc.ClientUnaryCall;
  assignNumber(argument: _chorus_dispatch_v1_AssignNumberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_SenderNumber__Output>): grpc.ClientUnaryCall;
  assignNumber(argument: _chorus_dispatch_v1_AssignNumberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SenderNumber__Output>): grpc.ClientUnaryCall;
  assignNumber(argument: _chorus_dispatch_v1_AssignNumberRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_SenderNumber__Output>): grpc.ClientUnaryCall;
  
  CancelMessage(argument: _chorus_dispatch_v1_CancelMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  CancelMessage(argument: _chorus_dispatch_v1_CancelMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  CancelMessage(argument: _chorus_dispatch_v1_CancelMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  CancelMessage(argument: _chorus_dispatch_v1_CancelMessageRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  cancelMessage(argument: _chorus_dispatch_v1_CancelMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  cancelMessage(argument: _chorus_dispatch_v1_CancelMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  cancelMessage(argument: _chorus_dispatch_v1_CancelMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  cancelMessage(argument: _chorus_dispatch_v1_CancelMessageRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  
  GetMessage(argument: _chorus_dispatch_v1_GetMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  GetMessage(argument: _chorus_dispatch_v1_GetMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  GetMessage(argument: _chorus_dispatch_v1_GetMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  GetMessage(argument: _chorus_dispatch_v1_GetMessageRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  getMessage(argument: _chorus_dispatch_v1_GetMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  getMessage(argument: _chorus_dispatch_v1_GetMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  getMessage(argument: _chorus_dispatch_v1_GetMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  getMessage(argument: _chorus_dispatch_v1_GetMessageRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_Message__Output>): grpc.ClientUnaryCall;
  
  ListMessages(argument: _chorus_dispatch_v1_ListMessagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  ListMessages(argument: _chorus_dispatch_v1_ListMessagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  ListMessages(argument: _chorus_dispatch_v1_ListMessagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  ListMessages(argument: _chorus_dispatch_v1_ListMessagesRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  listMessages(argument: _chorus_dispatch_v1_ListMessagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  listMessages(argument: _chorus_dispatch_v1_ListMessagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  listMessages(argument: _chorus_dispatch_v1_ListMessagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  listMessages(argument: _chorus_dispatch_v1_ListMessagesRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_ListMessagesResponse__Output>): grpc.ClientUnaryCall;
  
  ListNumbers(argument: _chorus_dispatch_v1_ListNumbersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_ListNumbersResponse__Output>): grpc.ClientUnaryCall;
  ListNumbers(argument: _chorus_dispatch_v1_ListNumbersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_ListNumbersResponse__Output>): grpc.ClientUnaryCall;
  ListNumbers(argument: _chorus_dispatch_v1_ListNumbersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_ListNumbersResponse__Output>): grpc.ClientUnaryCall;
  ListNumbers(argument: _chorus_dispatch_v1_ListNumbersRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_ListNumbersResponse__Output>): grpc.ClientUnaryCall;
  listNumbers(argument: _chorus_dispatch_v1_ListNumbersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_ListNumbersResponse__Output>): grpc.ClientUnaryCall;
  listNumbers(argument: _chorus_dispatch_v1_ListNumbersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_ListNumbersResponse__Output>): grpc.ClientUnaryCall;
  listNumbers(argument: _chorus_dispatch_v1_ListNumbersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_ListNumbersResponse__Output>): grpc.ClientUnaryCall;
  listNumbers(argument: _chorus_dispatch_v1_ListNumbersRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_ListNumbersResponse__Output>): grpc.ClientUnaryCall;
  
  SendBatch(argument: _chorus_dispatch_v1_SendBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SendBatchResponse__Output>): grpc.ClientUnaryCall;
  SendBatch(argument: _chorus_dispatch_v1_SendBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_SendBatchResponse__Output>): grpc.ClientUnaryCall;
  SendBatch(argument: _chorus_dispatch_v1_SendBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SendBatchResponse__Output>): grpc.ClientUnaryCall;
  SendBatch(argument: _chorus_dispatch_v1_SendBatchRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_SendBatchResponse__Output>): grpc.ClientUnaryCall;
  sendBatch(argument: _chorus_dispatch_v1_SendBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SendBatchResponse__Output>): grpc.ClientUnaryCall;
  sendBatch(argument: _chorus_dispatch_v1_SendBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_SendBatchResponse__Output>): grpc.ClientUnaryCall;
  sendBatch(argument: _chorus_dispatch_v1_SendBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SendBatchResponse__Output>): grpc.ClientUnaryCall;
  sendBatch(argument: _chorus_dispatch_v1_SendBatchRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_SendBatchResponse__Output>): grpc.ClientUnaryCall;
  
  SendMessage(argument: _chorus_dispatch_v1_SendMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  SendMessage(argument: _chorus_dispatch_v1_SendMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  SendMessage(argument: _chorus_dispatch_v1_SendMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  SendMessage(argument: _chorus_dispatch_v1_SendMessageRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  sendMessage(argument: _chorus_dispatch_v1_SendMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  sendMessage(argument: _chorus_dispatch_v1_SendMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chorus_dispatch_v1_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  sendMessage(argument: _chorus_dispatch_v1_SendMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chorus_dispatch_v1_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  sendMessage(argument: _chorus_dispatch_v1_SendMessageRequest, callback: grpc.requestCallback<_chorus_dispatch_v1_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface DispatchServiceHandlers extends grpc.UntypedServiceImplementation {
  AssignNumber: grpc.handleUnaryCall<_chorus_dispatch_v1_AssignNumberRequest__Output, _chorus_dispatch_v1_SenderNumber>;
  
  CancelMessage: grpc.handleUnaryCall<_chorus_dispatch_v1_CancelMessageRequest__Output, _chorus_dispatch_v1_Message>;
  
  GetMessage: grpc.handleUnaryCall<_chorus_dispatch_v1_GetMessageRequest__Output, _chorus_dispatch_v1_Message>;
  
  ListMessages: grpc.handleUnaryCall<_chorus_dispatch_v1_ListMessagesRequest__Output, _chorus_dispatch_v1_ListMessagesResponse>;
  
  ListNumbers: grpc.handleUnaryCall<_chorus_dispatch_v1_ListNumbersRequest__Output, _chorus_dispatch_v1_ListNumbersResponse>;
  
  SendBatch: grpc.handleUnaryCall<_chorus_dispatch_v1_SendBatchRequest__Output, _chorus_dispatch_v1_SendBatchResponse>;
  
  SendMessage: grpc.handleUnaryCall<_chorus_dispatch_v1_SendMessageRequest__Output, _chorus_dispatch_v1_SendMessageResponse>;
  
}

export interface DispatchServiceDefinition extends grpc.ServiceDefinition {
  AssignNumber: MethodDefinition<_chorus_dispatch_v1_AssignNumberRequest, _chorus_dispatch_v1_SenderNumber, _chorus_dispatch_v1_AssignNumberRequest__Output, _chorus_dispatch_v1_SenderNumber__Output>
  CancelMessage: MethodDefinition<_chorus_dispatch_v1_CancelMessageRequest, _chorus_dispatch_v1_Message, _chorus_dispatch_v1_CancelMessageRequest__Output, _chorus_dispatch_v1_Message__Output>
  GetMessage: MethodDefinition<_chorus_dispatch_v1_GetMessageRequest, _chorus_dispatch_v1_Message, _chorus_dispatch_v1_GetMessageRequest__Output, _chorus_dispatch_v1_Message__Output>
  ListMessages: MethodDefinition<_chorus_dispatch_v1_ListMessagesRequest, _chorus_dispatch_v1_ListMessagesResponse, _chorus_dispatch_v1_ListMessagesRequest__Output, _chorus_dispatch_v1_ListMessagesResponse__Output>
  ListNumbers: MethodDefinition<_chorus_dispatch_v1_ListNumbersRequest, _chorus_dispatch_v1_ListNumbersResponse, _chorus_dispatch_v1_ListNumbersRequest__Output, _chorus_dispatch_v1_ListNumbersResponse__Output>
  SendBatch: MethodDefinition<_chorus_dispatch_v1_SendBatchRequest, _chorus_dispatch_v1_SendBatchResponse, _chorus_dispatch_v1_SendBatchRequest__Output, _chorus_dispatch_v1_SendBatchResponse__Output>
  SendMessage: MethodDefinition<_chorus_dispatch_v1_SendMessageRequest, _chorus_dispatch_v1_SendMessageResponse, _chorus_dispatch_v1_SendMessageRequest__Output, _chorus_dispatch_v1_SendMessageResponse__Output>
}
