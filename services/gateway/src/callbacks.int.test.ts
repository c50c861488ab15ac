import type { BandwidthCallbackEvent } from "@chorus/chassis/events";
import { connectNats } from "@chorus/chassis/nats";
import { describe, expect, test } from "@chorus/testing";
import { startTestGateway } from "./test-support.js";

const basic = (u: string, p: string) => ({
  authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`,
});
const GOOD = basic("bw-user", "bw-pass-123");

function bandwidthEvent(
  id: string,
  type = "message-delivered",
  extra: Partial<BandwidthCallbackEvent> = {},
): BandwidthCallbackEvent {
  return {
    type,
    time: "2026-11-27T23:00:00.000Z",
    to: "+12025550143",
    description: "ok",
    message: {
      id,
      owner: "+12025550123",
      applicationId: "app",
      time: "2026-11-27T22:59:59.000Z",
      segmentCount: 1,
      direction: "out",
      to: ["+12025550143"],
      from: "+12025550123",
      tag: "t",
    },
    ...extra,
  };
}

describe("Bandwidth callback ingress", () => {
  test("wrong or missing credentials are 401; malformed 400; oversized 413", async ({ infra }) => {
    const t = await startTestGateway(infra);
    try {
      const url = "/v1/carrier/bandwidth/callbacks";
      const payload = [bandwidthEvent("m1")];
      for (const headers of [
        {},
        basic("bw-user", "wrong"),
        basic("someone", "bw-pass-123"),
        { authorization: "Bearer x" },
        basic("bw-user", "bw-pass-1234"),
      ]) {
        const r = await t.inject({ method: "POST", url, headers, payload });
        expect(r.statusCode, JSON.stringify(headers)).toBe(401);
        expect(r.json().code).toBe("unauthorized");
      }
      for (const bad of [
        {},
        [],
        [{ type: "message-delivered" }],
        [{ ...bandwidthEvent("m2"), message: "nope" }],
      ]) {
        const r = await t.inject({ method: "POST", url, headers: GOOD, payload: bad as never });
        expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      }
      const garbage = await t.inject({
        method: "POST",
        url,
        headers: { ...GOOD, "content-type": "application/json" },
        payload: "[{",
      });
      expect(garbage.json().code).toBe("malformed_json");

      // Bigger than the partner limit but within the callback limit: fine. Over 1 MiB: 413.
      const many = Array.from({ length: 400 }, (_, i) => bandwidthEvent(`bulk-${i}`));
      expect(JSON.stringify(many).length).toBeGreaterThan(64 * 1024);
      expect((await t.inject({ method: "POST", url, headers: GOOD, payload: many })).statusCode).toBe(200);
      const huge = [bandwidthEvent("big", "message-received", { description: "x".repeat(1024 * 1024) })];
      const r = await t.inject({ method: "POST", url, headers: GOOD, payload: huge });
      expect(r.statusCode).toBe(413);
      expect(r.json().code).toBe("payload_too_large");
    } finally {
      await t.stop();
    }
  });

  test("a callback posted twice is one JetStream message (deduplicated by message id and type)", async ({
    infra,
  }) => {
    const t = await startTestGateway(infra);
    const nats = await connectNats({ url: infra.natsUrl, name: "test" });
    try {
      const payload = [
        bandwidthEvent("bw-1", "message-sending"),
        bandwidthEvent("bw-1", "message-delivered"),
      ];
      const first = await t.inject({
        method: "POST",
        url: "/v1/carrier/bandwidth/callbacks",
        headers: GOOD,
        payload,
      });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ accepted: 2, duplicates: 0 });
      const second = await t.inject({
        method: "POST",
        url: "/v1/carrier/bandwidth/callbacks",
        headers: GOOD,
        payload: [payload[1]],
      });
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual({ accepted: 0, duplicates: 1 });
      const info = await nats.jsm.streams.info("CARRIER_EVENTS");
      expect(info.state.messages).toBe(2);
      const m = await nats.jsm.streams.getMessage("CARRIER_EVENTS", {
        last_by_subj: "chorus.carrier.bandwidth.message-delivered",
      });
      expect(m?.json<BandwidthCallbackEvent>().message.id).toBe("bw-1");
    } finally {
      await nats.drain();
      await t.stop();
    }
  });

  test("events that JetStream does not ack are not answered 2xx", async ({ infra }) => {
    const t = await startTestGateway(infra);
    const nats = await connectNats({ url: infra.natsUrl, name: "test" });
    try {
      await nats.jsm.streams.delete("CARRIER_EVENTS");
      const r = await t.inject({
        method: "POST",
        url: "/v1/carrier/bandwidth/callbacks",
        headers: GOOD,
        payload: [bandwidthEvent("lost-1")],
      });
      expect(r.statusCode).toBe(503);
      expect(r.json().code).toBe("events_not_durable");
      expect(r.headers["retry-after"]).toBeDefined();
    } finally {
      await nats.drain();
      await t.stop();
    }
  });
});
