import {
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";

export { SpanKind, SpanStatusCode } from "@opentelemetry/api";

/**
 * Tracing. W3C trace context is carried explicitly across HTTP headers, gRPC metadata and NATS
 * headers by the chassis helpers (inject on the way out, extract on the way in). That is done by
 * hand, not by auto-instrumentation, because require-hook instrumentation does not see ESM imports
 * reliably, and a trace that silently breaks at one hop is worse than none.
 */
export type TraceExporterKind = "otlp" | "memory" | "none";

export interface TelemetryOptions {
  service: string;
  exporter?: TraceExporterKind;
  otlpEndpoint?: string | undefined;
}

export interface Telemetry {
  /** Present with exporter "memory" (tests): every finished span. */
  memory?: InMemorySpanExporter;
  shutdown(): Promise<void>;
}

/** The running instance; `tracing`: an SDK runs (an exporter is configured). */
let active: (Telemetry & { tracing: boolean }) | undefined;

/**
 * True while initTelemetry has started the SDK. The gRPC helpers skip their spans and trace
 * headers when it is false: with no SDK those are no-ops that still cost every call a context copy,
 * a span object and a metadata map.
 */
export function tracingEnabled(): boolean {
  return active?.tracing === true;
}

/**
 * Starts the OpenTelemetry Node SDK once per process. Later calls return the running instance (a
 * test process may host several services; they share one provider).
 *
 * With no exporter (no OTLP endpoint configured) tracing is off: the SDK is not started, spans are
 * the API's no-ops and no trace context is forwarded. Starting it anyway costs every call: its
 * context manager (AsyncLocalStorage, on Node 20 a hook on every promise) made a consent Check
 * 60–130 µs of CPU dearer and its garbage lengthened the collector's pauses (services/consent/README.md),
 * all for spans that go nowhere. Only traces are exported: metrics and OTel logs stay off (the SDK
 * would otherwise start an OTLP metric exporter from its environment defaults).
 */
export function initTelemetry(opts: TelemetryOptions): Telemetry {
  if (active) return active;
  const kind: TraceExporterKind = opts.exporter ?? (opts.otlpEndpoint ? "otlp" : "none");
  if (kind === "none") {
    active = {
      tracing: false,
      async shutdown() {
        active = undefined;
      },
    };
    return active;
  }
  const memory = kind === "memory" ? new InMemorySpanExporter() : undefined;
  const spanProcessors: SpanProcessor[] = [];
  if (memory) spanProcessors.push(new SimpleSpanProcessor(memory));
  if (kind === "otlp") {
    const url = opts.otlpEndpoint ? `${opts.otlpEndpoint.replace(/\/$/, "")}/v1/traces` : undefined;
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter(url ? { url } : {})));
  }
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.service }),
    spanProcessors,
    metricReaders: [],
    logRecordProcessors: [],
    textMapPropagator: new W3CTraceContextPropagator(),
    instrumentations: [],
  });
  sdk.start();
  active = {
    ...(memory ? { memory } : {}),
    tracing: true,
    async shutdown() {
      active = undefined;
      await sdk.shutdown();
    },
  };
  return active;
}

export function tracer(name = "chorus") {
  return trace.getTracer(name);
}

const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const recordGetter: TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key] ?? carrier[key.toLowerCase()],
};

/** W3C `traceparent`/`tracestate` for the current (or given) context, as a plain record. */
export function injectTraceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier, recordSetter);
  return carrier;
}

/** The context described by incoming `traceparent`/`tracestate` headers. */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers, recordGetter);
}

/**
 * Runs `fn` inside a new span (child of `parent`, or of the active context), ends it, and records
 * an exception when `fn` throws.
 */
export async function withSpan<T>(
  name: string,
  opts: { kind?: SpanKind; parent?: Context; attributes?: Record<string, string | number | boolean> },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = opts.parent ?? context.active();
  return await tracer().startActiveSpan(
    name,
    { kind: opts.kind ?? SpanKind.INTERNAL, ...(opts.attributes ? { attributes: opts.attributes } : {}) },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
