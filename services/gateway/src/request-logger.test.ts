import { createLogger } from "@chorus/chassis/log";
import { captureLogs } from "@chorus/testing";
import Fastify, { LogController } from "fastify";
import { describe, expect, test } from "vitest";
import { lazyChildLoggerFactory } from "./request-logger.js";

async function appLoggingTo(level: string) {
  const logs = captureLogs();
  const log = createLogger({ service: "gateway-test", level, destination: logs.stream });
  const app = Fastify({
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLoggerFactory() as never,
  });
  // As the gateway's error handler does: the full error, through the request's logger.
  app.setErrorHandler((err, request, reply) => {
    request.log.error({ err }, "request failed");
    return reply.code(500).send({ code: "internal" });
  });
  app.get("/quiet", async (request) => {
    request.log.debug({ to: "+12025550143" }, "only at debug");
    return { ok: true };
  });
  app.get("/loud", async (request) => {
    request.log.info({ to: "+12025550143", step: 1 }, "first");
    request.log.warn({ step: 2 }, "second");
    return { ok: request.log.isLevelEnabled("info") };
  });
  app.get("/boom", async () => {
    throw new Error("failed for 2025550143");
  });
  await app.ready();
  return { app, logs };
}

describe("request logger", () => {
  test("request log lines carry the request id and are redacted like the service logger's", async () => {
    const { app, logs } = await appLoggingTo("info");
    try {
      const loud = await app.inject({ method: "GET", url: "/loud" });
      expect(loud.json()).toEqual({ ok: true });
      await app.inject({ method: "GET", url: "/boom" });
      await new Promise((r) => setTimeout(r, 50));
      const lines = logs.lines();
      const first = lines.find((l) => l.msg === "first")!;
      const second = lines.find((l) => l.msg === "second")!;
      expect(first).toMatchObject({ service: "gateway-test", level: "info", step: 1, to: "[redacted]" });
      expect(typeof first.reqId).toBe("string");
      expect(second.reqId).toBe(first.reqId);
      const failed = lines.find((l) => l.msg === "request failed")!;
      expect(failed.level).toBe("error");
      expect(typeof failed.reqId).toBe("string");
      expect(failed.reqId).not.toBe(first.reqId);
      expect(logs.text()).not.toContain("2025550143");
    } finally {
      await app.close();
    }
  });

  test("levels below the logger's are not written; at debug they are, with the request id", async () => {
    const info = await appLoggingTo("info");
    const debug = await appLoggingTo("debug");
    try {
      await info.app.inject({ method: "GET", url: "/quiet" });
      await debug.app.inject({ method: "GET", url: "/quiet" });
      await new Promise((r) => setTimeout(r, 50));
      expect(info.logs.text()).not.toContain("only at debug");
      const line = debug.logs.lines().find((l) => l.msg === "only at debug")!;
      expect(line).toMatchObject({ level: "debug", to: "[redacted]" });
      expect(typeof line.reqId).toBe("string");
    } finally {
      await info.app.close();
      await debug.app.close();
    }
  });
});
