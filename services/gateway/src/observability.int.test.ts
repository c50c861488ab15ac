import { createLogger } from "@chorus/chassis/log";
import { initTelemetry } from "@chorus/chassis/telemetry";
import { captureLogs, describe, expect, test } from "@chorus/testing";
import { bearer, startTestGateway } from "./test-support.js";

describe("tracing and logs", () => {
  test("a partner's traceparent continues through the gateway into the gRPC call", async ({ infra }) => {
    const telemetry = initTelemetry({ service: "gateway-test", exporter: "memory" });
    const t = await startTestGateway(infra);
    try {
      const { key } = await t.org();
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      const res = await t.inject({
        method: "POST",
        url: "/v1/messages",
        headers: { ...bearer(key), traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        payload: { to: "2025550143", text: "traced" },
      });
      expect(res.statusCode).toBe(202);
      const md = t.fakes.calls.metadata.at(-1)!;
      expect(String(md.traceparent)).toContain(traceId);
      const spans = telemetry.memory!.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(["POST /v1/messages"]));
    } finally {
      await t.stop();
      await telemetry.shutdown();
    }
  });

  test("an internal failure is logged in full but answered generically; phone numbers and keys stay out of logs", async ({
    infra,
  }) => {
    const logs = captureLogs();
    const log = createLogger({ service: "gateway-test", level: "debug", destination: logs.stream });
    const t = await startTestGateway(infra, {}, { log });
    try {
      const { key } = await t.org();
      await t.inject({ method: "GET", url: "/v1/consent/+12025550143", headers: bearer(key) });
      t.fakes.behaviour.dispatchBroken = true;
      const res = await t.inject({
        method: "POST",
        url: "/v1/messages",
        headers: bearer(key),
        payload: { to: "2025550143", text: "secret words" },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ code: "internal", detail: "Internal error." });
      expect(res.body).not.toContain("dispatch answered");
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
      await new Promise((r) => setTimeout(r, 100));
      const text = logs.text();
      expect(text).toContain("dispatch answered without a message");
      expect(text).toContain("/v1/consent/:phone");
      expect(text).not.toContain("2025550143");
      expect(text).not.toContain("secret words");
      expect(text).not.toContain(key);
    } finally {
      await t.stop();
    }
  });
});
