import { Metadata, status } from "@grpc/grpc-js";

/**
 * Domain errors carry a kind (what class of failure, which decides the gRPC status and, at the
 * gateway, the HTTP status) and a machine-readable code (what exactly, e.g. `recipient_opted_out`)
 * that travels to the partner unchanged. Services throw these; the gRPC layer maps them in one place.
 */
export type ErrorKind =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "failed_precondition"
  | "permission_denied"
  | "unauthenticated"
  | "resource_exhausted"
  | "unavailable"
  | "deadline_exceeded"
  | "aborted"
  | "internal";

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const invalidArgument = (code: string, message: string, details?: Record<string, string>) =>
  new DomainError("invalid_argument", code, message, details);
export const notFound = (code: string, message: string) => new DomainError("not_found", code, message);
export const failedPrecondition = (code: string, message: string, details?: Record<string, string>) =>
  new DomainError("failed_precondition", code, message, details);

const KIND_TO_GRPC: Record<ErrorKind, status> = {
  invalid_argument: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
  already_exists: status.ALREADY_EXISTS,
  failed_precondition: status.FAILED_PRECONDITION,
  permission_denied: status.PERMISSION_DENIED,
  unauthenticated: status.UNAUTHENTICATED,
  resource_exhausted: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
  deadline_exceeded: status.DEADLINE_EXCEEDED,
  aborted: status.ABORTED,
  internal: status.INTERNAL,
};

const GRPC_TO_KIND = new Map<status, ErrorKind>(
  Object.entries(KIND_TO_GRPC).map(([k, v]) => [v, k as ErrorKind]),
);

/** Metadata keys that carry the machine-readable code and details across gRPC. */
export const ERROR_CODE_KEY = "chorus-error-code";
export const ERROR_DETAILS_KEY = "chorus-error-details";

export interface GrpcErrorPayload {
  code: status;
  details: string;
  metadata: Metadata;
}

/**
 * The one mapping from an error thrown by a handler to a gRPC status. Unknown errors become
 * INTERNAL with a generic message: internals are logged, never sent.
 */
export function toGrpcError(err: unknown): GrpcErrorPayload {
  const metadata = new Metadata();
  if (err instanceof DomainError) {
    metadata.set(ERROR_CODE_KEY, err.code);
    if (Object.keys(err.details).length) metadata.set(ERROR_DETAILS_KEY, JSON.stringify(err.details));
    return { code: KIND_TO_GRPC[err.kind], details: err.message, metadata };
  }
  metadata.set(ERROR_CODE_KEY, "internal");
  return { code: status.INTERNAL, details: "internal error", metadata };
}

/** A gRPC client error turned back into a DomainError (code and details preserved). */
export function fromGrpcError(err: unknown): DomainError {
  const e = err as { code?: number; details?: string; metadata?: Metadata; message?: string };
  const kind = (typeof e.code === "number" && GRPC_TO_KIND.get(e.code)) || "unavailable";
  const code = String(e.metadata?.get(ERROR_CODE_KEY)[0] ?? defaultCodeFor(kind));
  let details: Record<string, string> = {};
  const raw = e.metadata?.get(ERROR_DETAILS_KEY)[0];
  if (raw) {
    try {
      details = JSON.parse(String(raw)) as Record<string, string>;
    } catch {
      details = {};
    }
  }
  return new DomainError(kind, code, e.details ?? e.message ?? "upstream error", details);
}

function defaultCodeFor(kind: ErrorKind): string {
  return kind === "unavailable" || kind === "deadline_exceeded" ? "upstream_unavailable" : kind;
}
