import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, commonConfig, env, loadConfig } from "./config.js";

const schema = z.object({
  PORT: env.port(8080),
  NATS_URL: env.natsUrl(),
  MONGO_URL: env.mongoUrl(),
  ADMIN_TOKEN: z.string().min(16),
  ...commonConfig,
});

describe("loadConfig", () => {
  it("applies defaults for unset variables", () => {
    const cfg = loadConfig("svc", schema, { ADMIN_TOKEN: "x".repeat(16) });
    expect(cfg.PORT).toBe(8080);
    expect(cfg.NATS_URL).toBe("nats://127.0.0.1:4222");
    expect(cfg.LOG_LEVEL).toBe("info");
  });

  it("fails the start naming every bad variable, not just the first", () => {
    let error: unknown;
    try {
      loadConfig("gateway", schema, {
        PORT: "eighty",
        NATS_URL: "http://wrong",
        MONGO_URL: "postgres://nope",
        LOG_LEVEL: "loud",
        ADMIN_TOKEN: "short",
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.problems).toHaveLength(5);
    for (const name of ["PORT", "NATS_URL", "MONGO_URL", "LOG_LEVEL", "ADMIN_TOKEN"]) {
      expect(e.message).toContain(name);
    }
    expect(e.message).toMatch(/^gateway: invalid configuration/);
  });

  it("does not print the value of a secret variable", () => {
    expect(() => loadConfig("svc", schema, { ADMIN_TOKEN: "hunter2" })).toThrow(/ADMIN_TOKEN.*\(redacted\)/);
    try {
      loadConfig("svc", schema, { ADMIN_TOKEN: "hunter2" });
    } catch (err) {
      expect((err as Error).message).not.toContain("hunter2");
    }
  });
});
