import { DomainError, type ErrorKind } from "@chorus/chassis/errors";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

/**
 * RFC 9457 problem details. Every error the gateway answers is one of these, with a stable
 * machine-readable `code` partners can switch on. `type` is a URN derived from the code.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  /** For validation problems: the offending fields. */
  errors?: Array<{ field: string; message: string }>;
  [extra: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** An error a route throws to answer with a given problem. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "HttpProblem";
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export function problemBody(
  status: number,
  code: string,
  detail: string | undefined,
  instance: string | undefined,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:chorus:problem:${code}`,
    title: TITLES[status] ?? "Error",
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
    ...extra,
  };
}

/**
 * THE mapping from an upstream (gRPC) DomainError to HTTP. Kind decides the status; a few codes
 * are semantic refusals of a well-formed request and answer 422 whatever their kind. The code
 * passes through unchanged as the problem's `code`.
 */
const KIND_TO_HTTP: Record<ErrorKind, number> = {
  invalid_argument: 400,
  not_found: 404,
  already_exists: 409,
  aborted: 409,
  failed_precondition: 422,
  permission_denied: 403,
  // Our own credentials to an upstream were refused: not the partner's fault.
  unauthenticated: 502,
  resource_exhausted: 429,
  unavailable: 503,
  deadline_exceeded: 503,
  internal: 500,
};

const CODE_TO_HTTP: Record<string, number> = {
  recipient_opted_out: 422,
  recipient_suppressed: 422,
  no_consent: 422,
  idempotency_key_reused: 422,
  invalid_phone: 400,
  invalid_number: 400,
  unknown_org: 404,
  message_not_cancelable: 409,
};

export function httpStatusForDomainError(err: DomainError): number {
  return CODE_TO_HTTP[err.code] ?? KIND_TO_HTTP[err.kind] ?? 500;
}

export function problemFromDomainError(err: DomainError): HttpProblem {
  const status = httpStatusForDomainError(err);
  if (status >= 500) {
    const retry = status === 503 ? { "retry-after": "1" } : ({} as Record<string, string>);
    const code = status === 503 ? "upstream_unavailable" : status === 502 ? "upstream_error" : "internal";
    const detail =
      status === 503 ? "A service this request needs is unavailable; retry shortly." : "Internal error.";
    return new HttpProblem(status, code, detail, {}, retry);
  }
  const headers: Record<string, string> = status === 429 ? { "retry-after": "1" } : {};
  const extra = Object.keys(err.details).length ? { details: err.details } : {};
  return new HttpProblem(status, err.code, err.message, extra, headers);
}

function validationErrors(err: FastifyError): Array<{ field: string; message: string }> {
  const ctx = (err as { validationContext?: string }).validationContext ?? "body";
  return (err.validation ?? []).map((v) => {
    const base = v.instancePath ? v.instancePath.replace(/^\//, "").replaceAll("/", ".") : "";
    const params = v.params as { additionalProperty?: string; missingProperty?: string };
    const leaf = params.additionalProperty ?? params.missingProperty;
    const field = [ctx, base, leaf].filter(Boolean).join(".");
    const message = params.additionalProperty ? "unknown field" : (v.message ?? "invalid");
    return { field, message };
  });
}

/** Turns anything thrown into (status, problem, headers). Internal details never leave. */
export function toProblem(
  err: unknown,
  request: FastifyRequest,
): { problem: Problem; headers: Record<string, string> } {
  const instance = request.url.split("?")[0];
  if (err instanceof HttpProblem) {
    return {
      problem: problemBody(err.status, err.code, err.detail, instance, err.extra),
      headers: err.headers,
    };
  }
  if (err instanceof DomainError) return toProblem(problemFromDomainError(err), request);
  const fe = err as FastifyError;
  if (fe?.validation) {
    return {
      problem: problemBody(400, "validation_failed", "The request has invalid or unknown fields.", instance, {
        errors: validationErrors(fe),
      }),
      headers: {},
    };
  }
  switch (fe?.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return {
        problem: problemBody(400, "malformed_json", "The body is not valid JSON.", instance),
        headers: {},
      };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        problem: problemBody(413, "payload_too_large", "The body is too large.", instance),
        headers: {},
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
        ? {
            problem: problemBody(
              415,
              "unsupported_media_type",
              "Send JSON with Content-Type: application/json.",
              instance,
            ),
            headers: {},
          }
        : {
            problem: problemBody(400, "bad_request", "Content-Length does not match the body.", instance),
            headers: {},
          };
    case "FST_ERR_BAD_URL":
      return {
        problem: problemBody(400, "bad_url", "The URL is not validly encoded.", instance),
        headers: {},
      };
    case "FST_ERR_MAX_PARAM_LENGTH":
      return {
        problem: problemBody(414, "uri_too_long", "A path parameter is too long.", instance),
        headers: {},
      };
    default:
      break;
  }
  if (err instanceof SyntaxError) {
    return {
      problem: problemBody(400, "malformed_json", "The body is not valid JSON.", instance),
      headers: {},
    };
  }
  const status = typeof fe?.statusCode === "number" ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad headers, URL, etc.): a safe generic description.
    return {
      problem: problemBody(status, "bad_request", TITLES[status] ?? "Bad request", instance),
      headers: {},
    };
  }
  return { problem: problemBody(500, "internal", "Internal error.", instance), headers: {} };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}) {
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}
