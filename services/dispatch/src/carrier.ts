import { isAxiosError } from "axios";
import { Configuration, ListMessageDirectionEnum, type MessageRequest, MessagesApi } from "bandwidth-sdk";

export interface CarrierSend {
  to: string;
  from: string;
  text: string;
  media: string[];
  tag: string;
}

/** What the carrier's create call told us, in the terms dispatch acts on. */
export type CarrierResult =
  /** 202: the carrier has it. */
  | { kind: "accepted"; carrierMessageId: string }
  /** 429: not sent; try again after this long. */
  | { kind: "rate_limited"; retryAfterMs: number }
  /** 400-class validation error: not sent, and sending it again would fail the same way. */
  | { kind: "rejected"; status: number; reason: string }
  /** Definitely not sent (an HTTP error answer, or the connection was refused): retry later. */
  | { kind: "retry"; status: number; reason: string }
  /** No answer (timeout, reset): the carrier may or may not have it. Reconcile, never resend blindly. */
  | { kind: "ambiguous"; reason: string };

export interface CarrierLookup {
  carrierMessageId: string;
  status: string;
}

export interface CarrierOptions {
  baseUrl: string;
  accountId: string;
  username: string;
  password: string;
  applicationId: string;
  timeoutMs: number;
}

/** Bandwidth Messaging v2 through the real `bandwidth-sdk` (carrier-sim locally and in tests). */
export class CarrierClient {
  readonly #api: MessagesApi;

  constructor(readonly opts: CarrierOptions) {
    this.#api = new MessagesApi(
      new Configuration({ username: opts.username, password: opts.password, basePath: opts.baseUrl }),
    );
  }

  async send(m: CarrierSend): Promise<CarrierResult> {
    // The SDK types `to`/`media` as Set<string>; the wire (and the SDK's serializer) takes arrays.
    const request = {
      applicationId: this.opts.applicationId,
      to: [m.to],
      from: m.from,
      text: m.text,
      tag: m.tag,
      ...(m.media.length ? { media: m.media } : {}),
    } as unknown as MessageRequest;
    try {
      const res = await this.#api.createMessage(this.opts.accountId, request, {
        timeout: this.opts.timeoutMs,
      });
      return { kind: "accepted", carrierMessageId: String(res.data.id) };
    } catch (err) {
      return classify(err);
    }
  }

  /**
   * Outbound messages from `from` to `to` the carrier received in [since, until): Bandwidth's message
   * search (`GET /users/{account}/messages`) through the SDK. That search has no tag filter and
   * Bandwidth keeps no message text, so sender, recipient and time are what can be matched on
   * (carrier-sim implements the same filters).
   */
  async findSent(q: { from: string; to: string; since: Date; until: Date }): Promise<CarrierLookup[]> {
    const res = await this.#api.listMessages(
      this.opts.accountId,
      undefined, // messageId
      q.from, // sourceTn
      q.to, // destinationTn
      undefined, // messageStatus
      ListMessageDirectionEnum.Outbound,
      undefined, // carrierName
      undefined, // messageType
      undefined, // errorCode
      q.since.toISOString(), // fromDateTime
      q.until.toISOString(), // toDateTime
      undefined, // campaignId
      undefined, // fromBwLatency
      undefined, // bwQueued
      undefined, // product
      undefined, // location
      undefined, // carrierQueued
      undefined, // fromCarrierLatency
      undefined, // callingNumberCountryA3
      undefined, // calledNumberCountryA3
      undefined, // fromSegmentCount
      undefined, // toSegmentCount
      undefined, // fromMessageSize
      undefined, // toMessageSize
      undefined, // sort
      undefined, // pageToken
      100, // limit
      undefined, // limitTotalCount
      { timeout: this.opts.timeoutMs },
    );
    return (res.data.messages ?? [])
      .filter((m) => m.messageId)
      .map((m) => ({ carrierMessageId: String(m.messageId), status: String(m.messageStatus ?? "") }));
  }
}

function classify(err: unknown): CarrierResult {
  if (!isAxiosError(err)) return { kind: "ambiguous", reason: String((err as Error)?.message ?? err) };
  const res = err.response;
  if (!res) {
    // Refused before anything was written: the carrier cannot have it.
    if (err.code === "ECONNREFUSED")
      return { kind: "retry", status: 0, reason: "carrier unreachable (connection refused)" };
    return { kind: "ambiguous", reason: `no answer from carrier (${err.code ?? err.message})` };
  }
  const body = (res.data ?? {}) as {
    type?: string;
    description?: string;
    fieldErrors?: Array<{ fieldName?: string; description?: string }>;
  };
  const reason =
    [body.description, ...(body.fieldErrors ?? []).map((f) => `${f.fieldName}: ${f.description}`)]
      .filter(Boolean)
      .join("; ") || `HTTP ${res.status}`;
  if (res.status === 429) {
    return { kind: "rate_limited", retryAfterMs: retryAfterMs(res.headers?.["retry-after"]) };
  }
  // 401/403 are our configuration, not the message: keep it and retry (and alert via logs).
  if (res.status >= 500 || res.status === 401 || res.status === 403 || res.status === 408) {
    return { kind: "retry", status: res.status, reason };
  }
  return { kind: "rejected", status: res.status, reason };
}

function retryAfterMs(header: unknown): number {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined || v === null || v === "") return 1_000;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(String(v));
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : 1_000;
}
