import { describe, eventually as eventuallyRaw, expect, test } from "@chorus/testing";
import {
  ALLOW,
  type ConsentAnswer,
  ORG,
  recipient,
  SENDER,
  type Stack,
  startStack,
} from "./testing/harness.js";

async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  return (await eventuallyRaw(check, { timeoutMs, intervalMs: 100 })) as T;
}

async function statuses(s: Stack): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = "";
  do {
    const page = await s.client.ListMessages({ orgId: ORG, pageSize: 500, cursor });
    for (const m of page.messages) out.set(m.id, m.status.replace("MESSAGE_STATUS_", "").toLowerCase());
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function sendMany(s: Stack, n: number, offset = 0): Promise<string[]> {
  const batch = await s.client.SendBatch({
    orgId: ORG,
    messages: Array.from({ length: n }, (_, i) => ({
      to: recipient(offset + i),
      text: `message ${offset + i}`,
    })),
  });
  return batch.results.map((r) => {
    if (!r.message) throw new Error(`refused: ${r.errorCode}`);
    return r.message.id!;
  });
}

function expectNoDuplicates(outbox: Array<{ tag: string | null }>) {
  const tags = outbox.map((o) => o.tag);
  expect(new Set(tags).size).toBe(tags.length);
}

const allDelivered = (s: Stack, n: number) =>
  eventually(async () => {
    const st = await statuses(s);
    return [...st.values()].filter((v) => v === "delivered").length === n ? st : undefined;
  });

describe("dispatch under pressure", () => {
  test("a 429 storm: every message is delivered once, honouring Retry-After", async ({ infra }) => {
    const s = await startStack(infra, { sim: { messagesPerSecond: 5 } });
    try {
      await s.client.AssignNumber({ orgId: ORG, number: SENDER });
      await sendMany(s, 30);
      await allDelivered(s, 30);
      const outbox = await s.sim.outbox();
      expect(outbox).toHaveLength(30);
      expectNoDuplicates(outbox);
      expect(s.sim.sim.counters.rateLimited).toBeGreaterThan(0);
      const throttled = (await s.client.ListMessages({ orgId: ORG, pageSize: 500 })).messages.filter((m) =>
        m.statusHistory.some((c) => c.status === "MESSAGE_STATUS_THROTTLED" && c.detail.includes("429")),
      );
      expect(throttled.length).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });

  test("an opt-out between accept and dispatch: `blocked` with the reason, never sent", async ({ infra }) => {
    // The API runs without workers, so nothing is dispatched until the worker replica starts.
    const s = await startStack(infra, { workers: false });
    try {
      await s.client.AssignNumber({ orgId: ORG, number: SENDER });
      const [keep, stop] = await sendMany(s, 2);
      const optedOut = new Set([recipient(1)]);
      s.consent.decide = (req) =>
        optedOut.has(req.to)
          ? { decision: "DECISION_DENY", reason: "DENY_REASON_OPTED_OUT", detail: "replied STOP at 10:02" }
          : ALLOW;
      await s.replica();
      const m = await eventually(async () => {
        const r = await s.client.GetMessage({ orgId: ORG, id: stop! });
        return r.status === "MESSAGE_STATUS_BLOCKED" ? r : undefined;
      });
      expect(m.blockedReason).toBe("opted_out");
      expect(m.statusHistory.at(-1)?.detail).toContain("replied STOP at 10:02");
      await eventually(
        async () =>
          (await s.client.GetMessage({ orgId: ORG, id: keep! })).status === "MESSAGE_STATUS_DELIVERED",
      );
      expect(await s.sim.outbox(recipient(1))).toHaveLength(0);
      expect(await s.sim.outbox(recipient(0))).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  test("with consent down nothing is sent; when it is back everything allowed is sent", async ({ infra }) => {
    const s = await startStack(infra);
    try {
      await s.client.AssignNumber({ orgId: ORG, number: SENDER });
      await s.consent.down();
      // Accepted anyway (the dispatch-time check is the gate) …
      const ids = await sendMany(s, 5);
      expect(ids).toHaveLength(5);
      // … but nothing goes out while consent cannot answer.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await s.sim.outbox()).toHaveLength(0);
      const st = await statuses(s);
      expect([...st.values()].every((v) => v === "accepted" || v === "queued")).toBe(true);
      await s.consent.up();
      await allDelivered(s, 5);
      expect(await s.sim.outbox()).toHaveLength(5);
    } finally {
      await s.close();
    }
  });

  test("quiet hours: `scheduled`, then sent when the window opens (controlled clock)", async ({ infra }) => {
    let now = Date.parse("2026-11-28T03:00:00.000Z"); // 22:00 in New York: quiet hours
    const opens = Date.parse("2026-11-28T13:00:00.000Z"); // 08:00 in New York
    const s = await startStack(infra, { clock: () => new Date(now) });
    try {
      await s.client.AssignNumber({ orgId: ORG, number: SENDER });
      s.consent.decide = (req): ConsentAnswer =>
        Date.parse(req.at || new Date(now).toISOString()) < opens
          ? {
              decision: "DECISION_DENY",
              reason: "DENY_REASON_QUIET_HOURS",
              detail: "quiet hours in America/New_York (08:00–21:00)",
              nextAllowedAt: new Date(opens).toISOString(),
            }
          : ALLOW;
      const { message } = await s.client.SendMessage({
        orgId: ORG,
        to: recipient(7),
        text: "GOTV",
        purpose: "PURPOSE_MARKETING",
      });
      expect(message?.status).toBe("MESSAGE_STATUS_ACCEPTED"); // quiet hours do not refuse
      const scheduled = await eventually(async () => {
        const m = await s.client.GetMessage({ orgId: ORG, id: message!.id! });
        return m.status === "MESSAGE_STATUS_SCHEDULED" ? m : undefined;
      });
      expect(scheduled.scheduledFor).toBe("2026-11-28T13:00:00.000Z");
      expect(scheduled.statusHistory.at(-1)?.detail).toContain("quiet_hours");
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await s.sim.outbox()).toHaveLength(0);
      now = opens + 60_000;
      const sent = await eventually(async () => {
        const m = await s.client.GetMessage({ orgId: ORG, id: message!.id! });
        return m.status === "MESSAGE_STATUS_DELIVERED" ? m : undefined;
      });
      expect(sent.statusHistory.map((c) => c.status)).toContain("MESSAGE_STATUS_SCHEDULED");
      expect(await s.sim.outbox(recipient(7))).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  test("two replicas sharing one sender number together stay within its rate", async ({ infra }) => {
    const rate = 4;
    const s = await startStack(infra, { config: { DEFAULT_NUMBER_RATE_PER_SEC: String(rate) } });
    try {
      await s.client.AssignNumber({ orgId: ORG, number: SENDER });
      await s.replica();
      await sendMany(s, 20);
      const st = await allDelivered(s, 20);
      const throttled = (await s.client.ListMessages({ orgId: ORG, pageSize: 500 })).messages.filter((m) =>
        m.statusHistory.some((c) => c.status === "MESSAGE_STATUS_THROTTLED"),
      );
      expect(throttled.length).toBeGreaterThan(0);
      expect(st.size).toBe(20);
      const outbox = await s.sim.outbox();
      expect(outbox).toHaveLength(20);
      expectNoDuplicates(outbox);
      // The carrier's own acceptance times. The limiter grants at most `rate` calls per second;
      // a call granted at the end of one second can reach the carrier early in the next, so the
      // check is the sustained rate: at most 2 × rate in any two consecutive seconds, and the
      // 20 sends spread over at least as long as the rate allows.
      const perSecond = new Map<number, number>();
      for (const o of outbox) {
        const sec = Math.floor(Date.parse(o.time) / 1000);
        perSecond.set(sec, (perSecond.get(sec) ?? 0) + 1);
      }
      for (const [sec, n] of perSecond) {
        expect(n + (perSecond.get(sec + 1) ?? 0)).toBeLessThanOrEqual(2 * rate);
      }
      const seconds = [...perSecond.keys()].sort((a, b) => a - b);
      expect(seconds.at(-1)! - seconds[0]!).toBeGreaterThanOrEqual(20 / rate - 1);
    } finally {
      await s.close();
    }
  });
});
