import { DomainError, failedPrecondition, invalidArgument, notFound } from "@chorus/chassis/errors";
import type { AsyncUnary } from "@chorus/chassis/grpc";
import type { AssignNumberRequest__Output } from "@chorus/protos/dispatch/v1/AssignNumberRequest.js";
import type { CancelMessageRequest__Output } from "@chorus/protos/dispatch/v1/CancelMessageRequest.js";
import type { GetMessageRequest__Output } from "@chorus/protos/dispatch/v1/GetMessageRequest.js";
import type { ListMessagesRequest__Output } from "@chorus/protos/dispatch/v1/ListMessagesRequest.js";
import type { ListMessagesResponse } from "@chorus/protos/dispatch/v1/ListMessagesResponse.js";
import type { ListNumbersRequest__Output } from "@chorus/protos/dispatch/v1/ListNumbersRequest.js";
import type { ListNumbersResponse } from "@chorus/protos/dispatch/v1/ListNumbersResponse.js";
import type { Message } from "@chorus/protos/dispatch/v1/Message.js";
import type { SendBatchRequest__Output } from "@chorus/protos/dispatch/v1/SendBatchRequest.js";
import type { SendBatchResponse } from "@chorus/protos/dispatch/v1/SendBatchResponse.js";
import type { SenderNumber } from "@chorus/protos/dispatch/v1/SenderNumber.js";
import type { SendMessageRequest__Output } from "@chorus/protos/dispatch/v1/SendMessageRequest.js";
import type { SendMessageResponse } from "@chorus/protos/dispatch/v1/SendMessageResponse.js";
import { normalizePhone } from "@chorus/sms";
import { ObjectId } from "mongodb";
import type { Acceptor, SendInput } from "./accept.js";
import { purposeFromProto } from "./consent.js";
import type { GroupCommit } from "./group-commit.js";
import type { MessageRepository } from "./messages-repo.js";
import { CLAIMABLE, type MessageDoc, type MessageStatusName } from "./model.js";
import type { NumberRepository } from "./numbers-repo.js";
import type { Publisher } from "./publisher.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function toProtoMessage(m: MessageDoc): Message {
  return {
    id: m._id,
    orgId: m.orgId,
    to: m.to,
    from: m.from,
    text: m.text,
    media: m.media,
    tag: m.tag,
    purpose: `PURPOSE_${m.purpose.toUpperCase()}` as Message["purpose"],
    status: statusToProto(m.status),
    statusHistory: m.statusHistory.map((c) => ({
      status: statusToProto(c.status),
      at: c.at,
      detail: c.detail,
    })),
    segments: m.segments,
    encoding: m.encoding,
    carrierMessageId: m.carrierMessageId,
    errorCode: m.errorCode,
    errorReason: m.errorReason,
    blockedReason: m.blockedReason,
    scheduledFor: m.scheduledFor,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    campaignId: m.campaignId,
    conversationId: m.conversationId,
  };
}

const statusToProto = (s: MessageStatusName) => `MESSAGE_STATUS_${s.toUpperCase()}` as Message["status"];

function statusFromProto(s: unknown): MessageStatusName | undefined {
  const v = String(s ?? "")
    .replace(/^MESSAGE_STATUS_/, "")
    .toLowerCase();
  return v && v !== "unspecified" && v !== "0" ? (v as MessageStatusName) : undefined;
}

function inputOf(r: SendMessageRequest__Output): SendInput {
  return {
    to: r.to,
    text: r.text,
    from: r.from,
    media: r.media,
    tag: r.tag,
    purpose: purposeFromProto(r.purpose),
    idempotencyKey: r.idempotencyKey,
    contactRegion: r.contactRegion,
    contactTimeZone: r.contactTimeZone,
    recipientStartedConversation: r.recipientStartedConversation,
    complianceAuthorizationId: r.complianceAuthorizationId,
    campaignId: r.campaignId,
    conversationId: r.conversationId,
  };
}

const requireOrg = (orgId: string) => {
  if (!orgId) throw invalidArgument("missing_org", "org_id is required");
};

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ v: 1, id })).toString("base64url");
}

function decodeCursor(cursor: string): string {
  try {
    const c = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { v?: number; id?: string };
    if (c.v === 1 && typeof c.id === "string" && ObjectId.isValid(c.id)) return c.id;
  } catch {
    // fall through
  }
  throw invalidArgument("invalid_cursor", "cursor is not one this API returned");
}

export function createDispatchHandlers(d: {
  acceptor: Acceptor;
  /** Groups concurrent SendMessage calls of an org into one accept batch; without it, one by one. */
  groups?: GroupCommit;
  messages: MessageRepository;
  numbers: NumberRepository;
  publish: Publisher;
}) {
  const SendMessage: AsyncUnary<SendMessageRequest__Output, SendMessageResponse> = async (req) => {
    requireOrg(req.orgId);
    const input = inputOf(req);
    const r = d.groups
      ? await d.groups.accept(req.orgId, input)
      : await d.acceptor.acceptOne(req.orgId, input);
    return { message: toProtoMessage(r.message), duplicate: r.duplicate };
  };

  const SendBatch: AsyncUnary<SendBatchRequest__Output, SendBatchResponse> = async (req) => {
    requireOrg(req.orgId);
    const results = await d.acceptor.acceptBatch(
      req.orgId,
      req.messages.map((m) => inputOf(m)),
    );
    return {
      results: results.map((r) =>
        "error" in r
          ? { errorCode: r.error.code, errorDetail: r.error.message }
          : { message: toProtoMessage(r.message) },
      ),
    };
  };

  const GetMessage: AsyncUnary<GetMessageRequest__Output, Message> = async (req) => {
    requireOrg(req.orgId);
    const m = await d.messages.get(req.orgId, req.id);
    if (!m) throw notFound("message_not_found", "no such message");
    return toProtoMessage(m);
  };

  const ListMessages: AsyncUnary<ListMessagesRequest__Output, ListMessagesResponse> = async (req) => {
    requireOrg(req.orgId);
    const size = req.pageSize <= 0 ? DEFAULT_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, req.pageSize);
    let to: string | undefined;
    if (req.to) {
      const n = normalizePhone(req.to);
      if (!n.ok) throw invalidArgument("invalid_phone", `to: ${n.reason}`, { field: "to" });
      to = n.e164;
    }
    const status = statusFromProto(req.status);
    const after = req.cursor ? decodeCursor(req.cursor) : undefined;
    const page = await d.messages.list(
      req.orgId,
      {
        ...(to ? { to } : {}),
        ...(status ? { status } : {}),
        ...(req.campaignId ? { campaignId: req.campaignId } : {}),
      },
      size + 1,
      after,
    );
    const more = page.length > size;
    const items = more ? page.slice(0, size) : page;
    return {
      messages: items.map(toProtoMessage),
      nextCursor: more && items.length ? encodeCursor(items[items.length - 1]!._id) : "",
    };
  };

  const CancelMessage: AsyncUnary<CancelMessageRequest__Output, Message> = async (req) => {
    requireOrg(req.orgId);
    const m = await d.messages.transition(req.orgId, req.id, CLAIMABLE, {
      status: "canceled",
      at: new Date().toISOString(),
      detail: "canceled by request",
    });
    if (m) {
      await d.publish.status(m);
      return toProtoMessage(m);
    }
    const existing = await d.messages.get(req.orgId, req.id);
    if (!existing) throw notFound("message_not_found", "no such message");
    if (existing.status === "canceled") return toProtoMessage(existing);
    throw failedPrecondition(
      "not_cancelable",
      `the message is already ${existing.status}; only messages not yet sending can be canceled`,
      {
        status: existing.status,
      },
    );
  };

  const AssignNumber: AsyncUnary<AssignNumberRequest__Output, SenderNumber> = async (req) => {
    requireOrg(req.orgId);
    const n = normalizePhone(req.number ?? "");
    if (!n.ok) throw invalidArgument("invalid_phone", `number: ${n.reason}`, { field: "number" });
    const r = await d.numbers.assign(req.orgId, n.e164, new Date().toISOString());
    if (r.taken)
      throw new DomainError("already_exists", "number_taken", "this number belongs to another organization");
    return { orgId: r.doc.orgId, number: r.doc._id, createdAt: r.doc.createdAt };
  };

  const ListNumbers: AsyncUnary<ListNumbersRequest__Output, ListNumbersResponse> = async (req) => {
    requireOrg(req.orgId);
    const list = await d.numbers.list(req.orgId);
    return { numbers: list.map((n) => ({ orgId: n.orgId, number: n._id, createdAt: n.createdAt })) };
  };

  return { SendMessage, SendBatch, GetMessage, ListMessages, CancelMessage, AssignNumber, ListNumbers };
}
