import { consentV1 } from "@chorus/protos";
import type { GetConsentRequest__Output } from "@chorus/protos/consent/v1/GetConsentRequest.js";
import { getChannelzHandlers } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { DomainError, notFound } from "./errors.js";
import { asyncHandlers, checkHealth, createClient, startGrpcServer } from "./grpc.js";
import { createLogger } from "./log.js";

const log = createLogger({ service: "grpc-test", level: "silent" });

async function serve(handlers: Parameters<typeof asyncHandlers>[1]) {
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    log,
    services: [
      {
        name: "chorus.consent.v1.ConsentService",
        definition: consentV1().ConsentService.service,
        implementation: asyncHandlers("ConsentService", handlers, log),
      },
    ],
  });
  const client = createClient(consentV1().ConsentService, `127.0.0.1:${server.port}`, { deadlineMs: 500 });
  return { server, client };
}

describe("gRPC chassis", () => {
  it("maps a domain error to its status and keeps its machine-readable code", async () => {
    const { server, client } = await serve({
      GetConsent: async (req: GetConsentRequest__Output) => {
        throw notFound("unknown_org", `no org ${req.orgId}`);
      },
    });
    const err = await client.GetConsent({ orgId: "nope", phone: "+14155550100" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe("not_found");
    expect((err as DomainError).code).toBe("unknown_org");
    expect((err as DomainError).message).toBe("no org nope");
    client.close();
    await server.shutdown(500);
  });

  it("answers an unexpected error with a generic INTERNAL that reveals nothing", async () => {
    const { server, client } = await serve({
      GetConsent: async () => {
        throw new Error("connection string mongodb://admin:pw@db failed");
      },
    });
    const err = (await client.GetConsent({ orgId: "o", phone: "p" }).catch((e: unknown) => e)) as DomainError;
    expect(err.kind).toBe("internal");
    expect(err.message).toBe("internal error");
    client.close();
    await server.shutdown(500);
  });

  it("answers a handler that throws before returning a promise the same way, and keeps serving", async () => {
    let calls = 0;
    const { server, client } = await serve({
      GetConsent: ((req: GetConsentRequest__Output) => {
        calls += 1;
        if (req.orgId === "boom") throw new Error("thrown synchronously");
        return Promise.resolve({ status: "CONSENT_STATUS_UNKNOWN" });
      }) as never,
    });
    const err = (await client
      .GetConsent({ orgId: "boom", phone: "p" })
      .catch((e: unknown) => e)) as DomainError;
    expect(err.kind).toBe("internal");
    expect(err.message).toBe("internal error");
    await expect(client.GetConsent({ orgId: "o", phone: "+14155550100" })).resolves.toBeDefined();
    expect(calls).toBe(2);
    client.close();
    await server.shutdown(500);
  });

  it("gives every call a deadline", async () => {
    const { server, client } = await serve({
      GetConsent: () => new Promise(() => undefined),
    });
    const err = (await client
      .GetConsent({ orgId: "o", phone: "p" }, { deadlineMs: 100 })
      .catch((e: unknown) => e)) as DomainError;
    expect(err.kind).toBe("deadline_exceeded");
    client.close();
    await server.shutdown(100);
  });

  it("serves the standard health service and reports NOT_SERVING while shutting down", async () => {
    const { server, client } = await serve({});
    const addr = `127.0.0.1:${server.port}`;
    expect(await checkHealth(addr)).toBe("SERVING");
    expect(await checkHealth(addr, "chorus.consent.v1.ConsentService")).toBe("SERVING");
    server.setServing(false);
    expect(await checkHealth(addr)).toBe("NOT_SERVING");
    client.close();
    await server.shutdown(500);
  });

  it("keeps grpc-js channelz bookkeeping off on servers and clients", async () => {
    const { server, client } = await serve({
      GetConsent: async () => ({ status: "CONSENT_STATUS_UNKNOWN" }),
    });
    await client.GetConsent({ orgId: "o", phone: "+14155550100" });
    const handlers = getChannelzHandlers() as unknown as Record<
      string,
      (call: { request: object }, cb: (err: unknown, res: Record<string, unknown[]>) => void) => void
    >;
    const list = (method: string, field: string) =>
      new Promise<unknown[]>((resolve, reject) =>
        handlers[method]?.({ request: { start_server_id: "0", start_channel_id: "0" } }, (err, res) =>
          err ? reject(err) : resolve(res[field] ?? []),
        ),
      );
    expect(await list("GetServers", "server")).toEqual([]);
    expect(await list("GetTopChannels", "channel")).toEqual([]);
    client.close();
    await server.shutdown(500);
  });
});
