/**
 * `POST /api/v2/users/{accountId}/messages` is served by a lean node:http path when the request
 * carries exactly the configured `Basic …` credentials, a JSON content type and a Content-Length;
 * any other request goes through fastify. These tests send the same requests both ways (a
 * lower-case `basic` scheme is valid but takes the fastify route) and check that clients cannot
 * tell the two apart.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CarrierSimOptions } from "./app.js";
import { basicAuth, type RunningSim, startReceiver, startSim, TEST_ACCOUNT } from "./test-support.js";

const TO = "+15555550100";
const FROM = "+15555550199";
const APP = "93de2206-9669-4e07-948d-329f4b722ee2";
const LEAN = basicAuth();
const ROUTED = basicAuth().replace("Basic", "basic");

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function sim(opts: Partial<CarrierSimOptions> = {}): Promise<RunningSim> {
  const s = await startSim(opts);
  cleanups.push(() => s.close({ flushTimeoutMs: 0 }));
  return s;
}

interface Raw {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  authenticate: string | null;
  /** The body as sent, with the id and times replaced (they differ between two messages). */
  text: string;
}

async function post(
  s: RunningSim,
  body: string | ReadableStream<Uint8Array>,
  auth: string,
  contentType = "application/json",
): Promise<Raw> {
  const res = await fetch(`${s.basePath}/users/${TEST_ACCOUNT}/messages`, {
    method: "POST",
    headers: { authorization: auth, "content-type": contentType },
    body,
    ...(typeof body === "string" ? {} : { duplex: "half" }),
  } as RequestInit);
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    retryAfter: res.headers.get("retry-after"),
    authenticate: res.headers.get("www-authenticate"),
    text: text.replace(/"id":"\d{13}[0-9a-z]{16}"/, '"id":"ID"').replace(/"time":"[^"]+"/, '"time":"T"'),
  };
}

/** The same request through the lean path and through fastify; both answers. */
async function bothWays(s: RunningSim, body: string): Promise<[Raw, Raw]> {
  return [await post(s, body, LEAN), await post(s, body, ROUTED)];
}

const message = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ applicationId: APP, to: [TO], from: FROM, text: "hello", ...over });

describe("lean create-message path", () => {
  it("answers a 202 byte for byte like the fastify route, and both messages are recorded", async () => {
    const s = await sim();
    for (const body of [
      message(),
      message({ tag: "t:1", priority: "high", expiration: "2030-01-01T00:00:00Z" }),
      message({ text: undefined, media: ["https://example.com/a.png"], tag: 'quote " and \\ and \u2028' }),
    ]) {
      const [lean, routed] = await bothWays(s, body);
      expect(lean.status).toBe(202);
      expect(lean.contentType).toBe("application/json; charset=utf-8");
      expect(lean).toEqual(routed);
      const parsed = JSON.parse(lean.text) as Record<string, unknown>;
      const sent = JSON.parse(body) as Record<string, unknown>;
      expect(parsed["to"]).toEqual([TO]);
      expect(parsed["tag"]).toEqual(sent["tag"]);
    }
    // What the fastify route used to answer through its response schema, in the schema's order.
    const [plain] = await bothWays(s, message());
    expect(plain.text).toBe(
      `{"id":"ID","owner":"${FROM}","applicationId":"${APP}","time":"T","segmentCount":1,"direction":"out",` +
        `"to":["${TO}"],"from":"${FROM}","text":"hello","priority":"default"}`,
    );
    expect(s.sim.stats().accepted).toBe(8);
    expect(s.sim.list().items).toHaveLength(8);
  });

  it("answers validation errors, malformed and blank bodies with the same 400s", async () => {
    const s = await sim();
    for (const body of ["{}", message({ to: ["555"], priority: "urgent" }), "{bad", "[]", "null", "   "]) {
      const [lean, routed] = await bothWays(s, body);
      expect(lean.status).toBe(400);
      expect(JSON.parse(lean.text).type).toBe("request-validation");
      expect(lean).toEqual(routed);
    }
    const [lean] = await bothWays(s, "{bad");
    expect(JSON.parse(lean.text).fieldErrors).toEqual([
      { fieldName: "body", description: "Malformed JSON body" },
    ]);
    expect(s.sim.messages.size).toBe(0);
  });

  it("answers forced statuses and the rate limit the same way", async () => {
    const s = await sim({ config: { httpStatus: { "+15555550111": 503, "+15555550112": 429 } } });
    for (const to of ["+15555550111", "+15555550112"]) {
      const [lean, routed] = await bothWays(s, message({ to: [to] }));
      expect(lean).toEqual(routed);
    }
    expect((await post(s, message({ to: ["+15555550111"] }), LEAN)).status).toBe(503);
    expect((await post(s, message({ to: ["+15555550112"] }), LEAN)).retryAfter).toBe("1");

    s.sim.configure({ messagesPerSecond: 1 });
    expect((await post(s, message(), LEAN)).status).toBe(202);
    const [lean, routed] = await bothWays(s, message());
    expect(lean.status).toBe(429);
    expect(Number(lean.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(lean).toEqual(routed);
    expect(s.sim.stats().rateLimited).toBe(2);
  });

  it("never accepts wrong credentials or another account, whatever the content type", async () => {
    const s = await sim();
    for (const contentType of ["application/json", "application/json; charset=utf-8"]) {
      const wrong = await post(s, message(), basicAuth("sim-user", "wrong"), contentType);
      expect(wrong.status).toBe(401);
      expect(wrong.authenticate).toMatch(/^Basic realm=/);
      expect(JSON.parse(wrong.text)).toEqual({ type: "unauthorized", description: "Authentication Failed" });
      const res = await fetch(`${s.basePath}/users/1234567/messages`, {
        method: "POST",
        headers: { authorization: LEAN, "content-type": contentType },
        body: message(),
      });
      expect(res.status).toBe(403);
    }
    expect(s.sim.messages.size).toBe(0);
  });

  it("takes a charset parameter, a chunked body, and still answers 413 and 415", async () => {
    const s = await sim({ bodyLimit: 2000 });
    expect((await post(s, message(), LEAN, "application/json; charset=utf-8")).status).toBe(202);
    const bytes = new TextEncoder().encode(message({ tag: "chunked" }));
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 10));
        c.enqueue(bytes.slice(10));
        c.close();
      },
    });
    const r = await post(s, chunked, LEAN);
    expect(r.status).toBe(202);
    expect(JSON.parse(r.text).tag).toBe("chunked");
    const big = await post(s, message({ text: "x".repeat(2001) }), LEAN);
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text).type).toBe("request-entity-too-large");
    expect((await post(s, "<a/>", LEAN, "application/xml")).status).toBe(415);
    expect(s.sim.messages.size).toBe(2);
  });

  it("plays out callbacks for messages it accepted, with the message as accepted but no text", async () => {
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const s = await sim({ callbackUrl: rx.url });
    const body = message({ tag: 'lean "1"', priority: "high", media: ["https://example.com/a.png"] });
    const r = await post(s, body, LEAN);
    expect(r.status).toBe(202);
    const events = await rx.waitFor((e) => e.length >= 2);
    expect(events.map((e) => e.type)).toEqual(["message-sending", "message-delivered"]);
    const accepted = s.sim.list().items[0]!;
    const expected = {
      id: accepted.id,
      owner: FROM,
      applicationId: APP,
      time: accepted.time,
      segmentCount: 1,
      direction: "out",
      to: [TO],
      from: FROM,
      text: "",
      tag: 'lean "1"',
      media: ["https://example.com/a.png"],
      priority: "high",
    };
    for (const e of events) expect(e.message).toEqual(expected);
    expect(JSON.stringify(events[0]!.message)).toBe(JSON.stringify(expected));
  });
});
