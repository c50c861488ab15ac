import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { consentV1 } from "@chorus/protos";
import type { CheckRequest__Output } from "@chorus/protos/consent/v1/CheckRequest.js";
import type { CheckResponse } from "@chorus/protos/consent/v1/CheckResponse.js";
import { describe, eventually, expect, test } from "@chorus/testing";
import { asyncHandlers, createClient, startGrpcServer } from "./grpc.js";
import { createLogger } from "./log.js";
import { connectNats, ensureStreams, publishJson, SUBJECTS, startConsumer } from "./nats.js";
import { extractTraceContext, initTelemetry, injectTraceHeaders, SpanKind, withSpan } from "./telemetry.js";

const log = createLogger({ service: "trace-test", level: "silent" });

describe("tracing", () => {
  test("one trace spans an HTTP request, a gRPC call, a NATS publish and its consumption", async ({
    infra,
  }) => {
    const telemetry = initTelemetry({ service: "trace-test", exporter: "memory" });
    const memory = telemetry.memory!;
    memory.reset();
    const nats = await connectNats({ url: infra.natsUrl, name: "trace-test" });
    await ensureStreams(nats.jsm, ["EVENTS"]);

    // gRPC server: its handler publishes an event to JetStream.
    const grpc = await startGrpcServer({
      host: "127.0.0.1",
      port: 0,
      log,
      services: [
        {
          name: "chorus.consent.v1.ConsentService",
          definition: consentV1().ConsentService.service,
          implementation: asyncHandlers(
            "ConsentService",
            {
              Check: async (req: CheckRequest__Output): Promise<CheckResponse> => {
                await publishJson(
                  nats.js,
                  SUBJECTS.consentChanged,
                  { to: req.to },
                  { msgID: `trace-${req.orgId}` },
                );
                return { decision: "DECISION_ALLOW", normalizedTo: req.to };
              },
            },
            log,
          ),
        },
      ],
    });
    const consent = createClient(consentV1().ConsentService, `127.0.0.1:${grpc.port}`, { deadlineMs: 2_000 });

    // HTTP server: continues the caller's trace and makes the gRPC call.
    const http = createServer((req, res) => {
      const parent = extractTraceContext(req.headers);
      void withSpan("POST /check", { kind: SpanKind.SERVER, parent }, async () => {
        await consent.Check({ orgId: "org-1", to: "+14155550100", purpose: "PURPOSE_MARKETING" });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const port = (http.address() as AddressInfo).port;

    const consumed: string[] = [];
    const consumer = await startConsumer<{ to: string }>({
      js: nats.js,
      jsm: nats.jsm,
      stream: "EVENTS",
      durable: "trace-test",
      log,
      handler: async (data) => {
        consumed.push(data.to);
        return "ack";
      },
    });

    try {
      // The partner's client starts the trace.
      const traceId = await withSpan("partner request", { kind: SpanKind.CLIENT }, async (span) => {
        const res = await fetch(`http://127.0.0.1:${port}/check`, {
          method: "POST",
          headers: injectTraceHeaders(),
        });
        expect(await res.text()).toBe("ok");
        return span.spanContext().traceId;
      });
      await eventually(() => consumed.length === 1);
      await eventually(() => memory.getFinishedSpans().some((s) => s.name.startsWith("consume ")));

      const spans = memory.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      const byName = (prefix: string) => spans.find((s) => s.name.startsWith(prefix));
      const httpSpan = byName("POST /check");
      const grpcClient =
        byName("ConsentServiceClient/Check") ??
        spans.find((s) => s.kind === SpanKind.CLIENT && s.name.endsWith("/Check"));
      const grpcServer = byName("ConsentService/Check");
      const publish = byName("publish chorus.consent.changed");
      const consume = byName("consume chorus.consent.changed");
      for (const s of [httpSpan, grpcClient, grpcServer, publish, consume]) expect(s).toBeDefined();
      // Each hop is a child of the one before: one unbroken trace.
      const parentOf = (s: typeof httpSpan) => s?.parentSpanContext?.spanId;
      expect(parentOf(grpcClient)).toBe(httpSpan!.spanContext().spanId);
      expect(parentOf(grpcServer)).toBe(grpcClient!.spanContext().spanId);
      expect(parentOf(publish)).toBe(grpcServer!.spanContext().spanId);
      expect(parentOf(consume)).toBe(publish!.spanContext().spanId);
    } finally {
      await consumer.stop();
      consent.close();
      await grpc.shutdown(1_000);
      http.close();
      await nats.drain();
      await telemetry.shutdown();
    }
  });
});
