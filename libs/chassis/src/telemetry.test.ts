import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { initTelemetry, tracingEnabled, withSpan } from "./telemetry.js";

const key = createContextKey("chorus.test");
/** What `context.active()` holds inside `context.with`: undefined when no context manager runs. */
const carried = () =>
  context.with(ROOT_CONTEXT.setValue(key, "carried"), () => context.active().getValue(key));

describe("initTelemetry", () => {
  it("without an exporter starts nothing: no context manager, no recorded spans; with one, both", async () => {
    const off = initTelemetry({ service: "telemetry-test" });
    expect(off.memory).toBeUndefined();
    expect(tracingEnabled()).toBe(false);
    expect(carried()).toBeUndefined();
    expect(await withSpan("off", {}, async (span) => span.isRecording())).toBe(false);
    await off.shutdown();

    const on = initTelemetry({ service: "telemetry-test", exporter: "memory" });
    expect(on.memory).toBeDefined();
    expect(tracingEnabled()).toBe(true);
    try {
      expect(carried()).toBe("carried");
      expect(await withSpan("on", {}, async (span) => span.isRecording())).toBe(true);
    } finally {
      await on.shutdown();
    }
    expect(tracingEnabled()).toBe(false);
  });
});
