import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger } from "pino";

/**
 * Fields that carry personal data or secrets. One list, so a new field is redacted everywhere at
 * once. Phone numbers and message bodies are personal data; tokens and keys are secrets.
 */
export const sensitiveFields = [
  "to",
  "from",
  "phone",
  "phones",
  "number",
  "recipient",
  "recipients",
  "owner",
  "text",
  "body",
  "words",
  "media",
  "authorization",
  "password",
  "secret",
  "token",
  "apiKey",
  "key",
  "keyHash",
  "adminToken",
  "cookie",
] as const;

const REDACTED = "[redacted]";

/** Paths for pino's redact: the field at the top level and up to two levels down. */
function redactPaths(): string[] {
  const paths: string[] = [];
  for (const f of sensitiveFields) {
    paths.push(f, `*.${f}`, `*.*.${f}`);
  }
  paths.push('req.headers["authorization"]', 'req.headers["idempotency-key"]', "*.headers.authorization");
  return paths;
}

// E.164 and common US national formats inside free text (log messages, error strings).
const PHONE_IN_TEXT = /\+?\b1?[\s.-]?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|\+[1-9]\d{7,14}\b/g;

/** Masks phone numbers that appear inside a free-text string. */
export function scrubPhones(text: string): string {
  return text.replace(PHONE_IN_TEXT, "[phone]");
}

export interface LoggerOptions {
  service: string;
  level?: string;
  /** Where log lines go; defaults to stdout. Tests pass a stream to read what was written. */
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      name: opts.service,
      level: opts.level ?? "info",
      base: { service: opts.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: REDACTED },
      formatters: { level: (label) => ({ level: label }) },
      // Messages are free text and may quote a number (an error from a library, say).
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === "string" ? scrubPhones(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
      serializers: {
        err: (err: unknown) => {
          const s = pino.stdSerializers.err(err as Error);
          if (s && typeof s.message === "string") s.message = scrubPhones(s.message);
          if (s && typeof s.stack === "string") s.stack = scrubPhones(s.stack);
          return s;
        },
      },
    },
    opts.destination ?? pino.destination({ sync: false }),
  );
}
