import { createHash, randomBytes } from "node:crypto";
import { invalidArgument } from "@chorus/chassis/errors";
import type { ConsentStatus, MessagePurpose } from "./domain/index.js";

/** Where a consent change came from (the proto's ConsentSource without its prefix, lower-case). */
export type ConsentSourceName =
  | "keyword"
  | "web_form"
  | "api"
  | "import"
  | "staff"
  | "carrier_report"
  | "revocation_phrase";

export const SOURCE_NAMES: readonly ConsentSourceName[] = [
  "keyword",
  "web_form",
  "api",
  "import",
  "staff",
  "carrier_report",
  "revocation_phrase",
];

/** History event types (proto ConsentEvent.type). */
export type ConsentEventType = "opt_out" | "opt_in" | "help" | "needs_review";

export interface Evidence {
  words?: string;
  actor?: string;
  disclosureText?: string;
  disclosureRef?: string;
  ip?: string;
  userAgent?: string;
  url?: string;
  sourceMessageId?: string;
  occurredAt?: string;
  reason?: string;
}

/** Current consent of one (org, phone). `_id` is `<orgId>:<e164>` so lookups hit the primary key. */
export interface ConsentStateDoc {
  _id: string;
  orgId: string;
  phone: string;
  status: Exclude<ConsentStatus, "unknown">;
  updatedAt: Date;
  lastSource: ConsentSourceName;
  /** Compare-and-set version: every change bumps it. */
  seq: number;
  /** The last event applied to this state and the status before it (a retry after a crash reads it). */
  lastEventId: string;
  lastPreviousStatus: ConsentStatus;
  /** The last opt-out confirmation this number was sent (one per opt-out; see README). */
  lastConfirmation?: { inboundId: string; at: Date };
}

/** One entry of the append-only history (`consent_events`). `_id` is deterministic (dedupe). */
export interface ConsentEventDoc {
  _id: string;
  orgId: string;
  phone: string;
  type: ConsentEventType;
  source: ConsentSourceName | "";
  evidence: Evidence;
  at: Date;
  previousStatus: ConsentStatus;
  newStatus: ConsentStatus;
}

export const stateId = (orgId: string, phone: string) => `${orgId}:${phone}`;

/**
 * The id of a history event: a hash of (org, phone, type, source message) when the event came
 * from an identifiable message (so a redelivered or re-sent one maps to the same event), else
 * a fresh time-ordered random id.
 */
export function eventIdFor(
  orgId: string,
  phone: string,
  type: ConsentEventType,
  sourceMessageId?: string,
): string {
  if (sourceMessageId) {
    const h = createHash("sha256")
      .update(`${orgId}\u0000${phone}\u0000${type}\u0000${sourceMessageId}`)
      .digest("hex");
    return `ev_${h.slice(0, 32)}`;
  }
  return `ev_${Date.now().toString(36).padStart(9, "0")}${randomBytes(10).toString("hex")}`;
}

/** Deterministic compliance-authorization id: one per (org, inbound message). */
export function authorizationIdFor(orgId: string, inboundMessageId: string): string {
  return `ca_${createHash("sha256").update(`${orgId}\u0000${inboundMessageId}`).digest("hex").slice(0, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// proto enum ↔ domain names

const strip = (value: unknown, prefix: string) =>
  String(value ?? "")
    .replace(prefix, "")
    .toLowerCase();

export function purposeFromProto(p: unknown): MessagePurpose {
  const s = strip(p, "PURPOSE_");
  if (s === "marketing" || s === "informational" || s === "conversational" || s === "compliance") return s;
  throw invalidArgument(
    "purpose_required",
    "purpose must be marketing, informational, conversational or compliance",
  );
}

export function sourceFromProto(p: unknown): ConsentSourceName {
  const s = strip(p, "CONSENT_SOURCE_");
  if ((SOURCE_NAMES as readonly string[]).includes(s)) return s as ConsentSourceName;
  throw invalidArgument(
    "source_required",
    `source must be one of ${SOURCE_NAMES.map((n) => `CONSENT_SOURCE_${n.toUpperCase()}`).join(", ")}`,
  );
}

export const sourceToProto = (s: ConsentSourceName | "") =>
  s ? `CONSENT_SOURCE_${s.toUpperCase()}` : "CONSENT_SOURCE_UNSPECIFIED";
export const statusToProto = (s: ConsentStatus) => `CONSENT_STATUS_${s.toUpperCase()}`;
export const denyReasonToProto = (r: string) => `DENY_REASON_${r.toUpperCase()}`;

export type ComplianceKind = "opt_out_confirmation" | "help" | "opt_in_confirmation";

export function complianceKindFromProto(p: unknown): ComplianceKind {
  const s = strip(p, "COMPLIANCE_REPLY_KIND_");
  if (s === "opt_out_confirmation" || s === "help" || s === "opt_in_confirmation") return s;
  throw invalidArgument("kind_required", "kind must be OPT_OUT_CONFIRMATION, HELP or OPT_IN_CONFIRMATION");
}

/** RFC 3339 → Date; empty → undefined; anything else unparseable → INVALID_ARGUMENT. */
export function parseTime(value: string | undefined, field: string): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw invalidArgument(`invalid_${field}`, `${field} must be an RFC 3339 time`);
  return d;
}

export const iso = (d: Date | undefined | null) => (d ? d.toISOString() : "");

/** Evidence from a proto message (empty strings dropped), bounded so a caller cannot store megabytes. */
export function evidenceFromProto(e: Partial<Record<keyof Evidence, string>> | null | undefined): Evidence {
  const out: Evidence = {};
  if (!e) return out;
  for (const key of [
    "words",
    "actor",
    "disclosureText",
    "disclosureRef",
    "ip",
    "userAgent",
    "url",
    "sourceMessageId",
    "occurredAt",
    "reason",
  ] as const) {
    const v = e[key];
    if (typeof v === "string" && v !== "") {
      if (v.length > 8_192)
        throw invalidArgument("evidence_too_long", `evidence.${key} is longer than 8192 characters`);
      out[key] = v;
    }
  }
  return out;
}

export function evidenceToProto(e: Evidence): Required<Evidence> {
  return {
    words: e.words ?? "",
    actor: e.actor ?? "",
    disclosureText: e.disclosureText ?? "",
    disclosureRef: e.disclosureRef ?? "",
    ip: e.ip ?? "",
    userAgent: e.userAgent ?? "",
    url: e.url ?? "",
    sourceMessageId: e.sourceMessageId ?? "",
    occurredAt: e.occurredAt ?? "",
    reason: e.reason ?? "",
  };
}

/** Runs `fn` over `items`, at most `limit` at a time. */
/**
 * `_id: {$in}` lookups go out in chunks of this many ids, a few at a time: a single `$in` of
 * 10,000 ids makes a server compare every candidate document against the whole list (FerretDB
 * does, in Go), while chunks keep each query small and let the server work on several at once.
 */
const IN_CHUNK = 250;
const IN_PARALLEL = 4;

/** Runs `fn` over `ids` in chunks of IN_CHUNK, IN_PARALLEL at a time. */
export async function inChunks(
  ids: readonly string[],
  fn: (chunk: string[]) => Promise<void>,
): Promise<void> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) chunks.push(ids.slice(i, i + IN_CHUNK));
  await inParallel(chunks, IN_PARALLEL, fn);
}

export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}
