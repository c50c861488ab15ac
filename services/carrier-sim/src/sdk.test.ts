/**
 * The real `bandwidth-sdk` client against the sim: the code path dispatch runs in production.
 */
import { isAxiosError } from "axios";
import { Configuration, type Message, type MessageRequest, MessagesApi } from "bandwidth-sdk";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Receiver,
  type RunningSim,
  startReceiver,
  startSim,
  TEST_ACCOUNT,
  TEST_PASSWORD,
  TEST_USER,
} from "./test-support.js";

const TO = "+15555550100";
const FROM = "+15555550199";
const APP = "93de2206-9669-4e07-948d-329f4b722ee2";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(config: Parameters<typeof startSim>[0] = {}): Promise<{
  sim: RunningSim;
  rx: Receiver;
  api: MessagesApi;
}> {
  const rx = await startReceiver();
  cleanups.push(() => rx.close());
  const sim = await startSim({ callbackUrl: rx.url, ...config });
  cleanups.push(() => sim.close({ flushTimeoutMs: 0 }));
  const api = new MessagesApi(
    new Configuration({ username: TEST_USER, password: TEST_PASSWORD, basePath: sim.basePath }),
  );
  return { sim, rx, api };
}

/** The SDK types `to`/`media` as Set<string>, but they are arrays on the wire. */
function request(over: Partial<Record<keyof MessageRequest, unknown>> = {}): MessageRequest {
  return { applicationId: APP, to: [TO], from: FROM, text: "hello from the SDK", ...over } as MessageRequest;
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

describe("bandwidth-sdk against the sim", () => {
  it("createMessage gets a 202 with the message, then status callbacks arrive", async () => {
    const { api, rx } = await setup();
    const res = await api.createMessage(TEST_ACCOUNT, request({ tag: "chorus:msg-1" }));
    expect(res.status).toBe(202);
    const data: Message = res.data;
    expect(data.id).toMatch(/^\d{13}[0-9a-z]{16}$/);
    expect(data.to as unknown).toEqual([TO]);
    expect(data).toMatchObject({
      from: FROM,
      owner: FROM,
      direction: "out",
      segmentCount: 1,
      tag: "chorus:msg-1",
    });

    const events = await rx.waitFor((e) => e.length >= 2);
    expect(events.map((e) => [e.type, e.message.id, e.message.tag])).toEqual([
      ["message-sending", data.id, "chorus:msg-1"],
      ["message-delivered", data.id, "chorus:msg-1"],
    ]);
  });

  it("surfaces 429 with Retry-After as an axios error", async () => {
    const { api } = await setup({ config: { messagesPerSecond: 1 } });
    await api.createMessage(TEST_ACCOUNT, request());
    const e = await caught(api.createMessage(TEST_ACCOUNT, request()));
    expect(isAxiosError(e)).toBe(true);
    if (!isAxiosError(e)) return;
    expect(e.response?.status).toBe(429);
    expect(Number(e.response?.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(e.response?.data).toMatchObject({ type: "max-message-queue-size-exceeded" });
  });

  it("surfaces validation and auth errors in Bandwidth's shape", async () => {
    const { api, sim } = await setup();
    const bad = await caught(api.createMessage(TEST_ACCOUNT, request({ to: ["555"] })));
    expect(isAxiosError(bad) && bad.response?.status).toBe(400);
    if (isAxiosError(bad)) {
      expect(bad.response?.data).toMatchObject({
        type: "request-validation",
        fieldErrors: [{ fieldName: "to", description: expect.any(String) }],
      });
    }
    const wrongCreds = new MessagesApi(
      new Configuration({ username: TEST_USER, password: "nope", basePath: sim.basePath }),
    );
    const unauth = await caught(wrongCreds.createMessage(TEST_ACCOUNT, request()));
    expect(isAxiosError(unauth) && unauth.response?.status).toBe(401);
    const forbidden = await caught(api.createMessage("1111111", request()));
    expect(isAxiosError(forbidden) && forbidden.response?.status).toBe(403);
  });

  it("surfaces a forced 503 as an axios error", async () => {
    const { api } = await setup({ config: { httpStatus: { [TO]: 503 } } });
    const e = await caught(api.createMessage(TEST_ACCOUNT, request()));
    expect(isAxiosError(e) && e.response?.status).toBe(503);
  });

  it("reports a per-number error code as message-failed", async () => {
    const { api, rx } = await setup({ config: { errorCodes: { [TO]: 4775 } } });
    const res = await api.createMessage(TEST_ACCOUNT, request());
    const events = await rx.waitFor((e) => e.length >= 2);
    expect(events[1]).toMatchObject({
      type: "message-failed",
      errorCode: 4775,
      message: { id: res.data.id },
    });
  });

  it("listMessages finds a message by id", async () => {
    const { api, sim } = await setup();
    const res = await api.createMessage(TEST_ACCOUNT, request({ tag: "lookup" }));
    await sim.sim.whenIdle();
    const list = await api.listMessages(TEST_ACCOUNT, res.data.id);
    expect(list.status).toBe(200);
    expect(list.data.totalCount).toBe(1);
    expect(list.data.messages?.[0]).toMatchObject({
      messageId: res.data.id,
      messageStatus: "DELIVERED",
      destinationTn: TO,
      sourceTn: FROM,
    });
  });

  it("listMessages filters by sender, recipient, direction and receive time, as Bandwidth's search does", async () => {
    const { api, sim } = await setup();
    const before = new Date(Date.now() - 1_000).toISOString();
    const res = await api.createMessage(TEST_ACCOUNT, request());
    await api.createMessage(TEST_ACCOUNT, request({ to: ["+12025550177"] as never }));
    await sim.sim.whenIdle();
    const after = new Date(Date.now() + 1_000).toISOString();
    const search = (from: string, to: string) =>
      api.listMessages(
        TEST_ACCOUNT,
        undefined,
        FROM,
        TO,
        undefined,
        "OUTBOUND" as never,
        undefined,
        undefined,
        undefined,
        from,
        to,
      );
    const found = await search(before, after);
    expect(found.data.messages?.map((m) => m.messageId)).toEqual([res.data.id]);
    expect((await search(after, new Date(Date.now() + 60_000).toISOString())).data.totalCount).toBe(0);
    expect((await search(new Date(Date.now() - 60_000).toISOString(), before)).data.totalCount).toBe(0);
  });
});
