import { DomainError } from "@chorus/chassis/errors";
import type { InboundReceivedEvent, MessageStatusEvent } from "@chorus/chassis/events";
import { startCommandProfile, stopCommandProfile } from "@chorus/chassis/mongo";
import { publishJson, SUBJECTS } from "@chorus/chassis/nats";
import { describe, eventually as eventuallyRaw, expect, test } from "@chorus/testing";
import { jetstream } from "@nats-io/jetstream";
import { ORG, OTHER_ORG, recipient, SENDER, SENDER2, type Stack, startStack } from "./testing/harness.js";

async function withStack<T>(
  infra: Parameters<typeof startStack>[0],
  fn: (s: Stack) => Promise<T>,
  opts: Parameters<typeof startStack>[1] = {},
) {
  const s = await startStack(infra, opts);
  try {
    await s.client.AssignNumber({ orgId: ORG, number: SENDER });
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** `eventually` for checks that answer a value once it is there (undefined/false until then). */
async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
): Promise<T> {
  return (await eventuallyRaw(check, { timeoutMs: 15_000 })) as T;
}

async function errorOf(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}

/** Every message.status event seen so far, by message id. */
async function statusEvents(s: Stack): Promise<MessageStatusEvent[]> {
  const out: MessageStatusEvent[] = [];
  const c = await s.nats.js.consumers.get("EVENTS", { filter_subjects: [SUBJECTS.messageStatus] });
  for (;;) {
    const m = await c.next({ expires: 1000 });
    if (!m) break;
    out.push(m.json<MessageStatusEvent>());
  }
  return out;
}

describe("sending", () => {
  test("a message reaches `delivered`, reaches the handset once, and every step is recorded and published", async ({
    infra,
  }) => {
    await withStack(infra, async (s) => {
      const res = await s.client.SendMessage({
        orgId: ORG,
        to: "(617) 555-1001",
        text: "Polls open at 7 — reply STOP to opt out",
        purpose: "PURPOSE_INFORMATIONAL",
      });
      expect(res.duplicate).toBe(false);
      expect(res.message?.to).toBe("+16175551001");
      expect(res.message?.segments).toBe(1);
      expect(res.message?.encoding).toBe("UCS-2"); // the em dash is not GSM-7
      const id = res.message!.id!;
      const done = await eventually(async () => {
        const m = await s.client.GetMessage({ orgId: ORG, id });
        return m.status === "MESSAGE_STATUS_DELIVERED" ? m : undefined;
      });
      expect(done.from).toBe(SENDER);
      expect(done.carrierMessageId).not.toBe("");
      const steps = done.statusHistory.map((c) => c.status);
      expect(steps[0]).toBe("MESSAGE_STATUS_ACCEPTED");
      // `queued` may not be in the history: a worker can claim the message before the accept path records it.
      expect(steps).toContain("MESSAGE_STATUS_SENDING");
      expect(steps.at(-1)).toBe("MESSAGE_STATUS_DELIVERED");
      // When the worker recorded the carrier's 202 (not a callback that overtook it), the status
      // consumer knows the message is `sent` without reading it again.
      const sentByWorker =
        done.statusHistory
          .find((c) => c.status === "MESSAGE_STATUS_SENT")
          ?.detail.startsWith("accepted by the carrier") === true;
      expect(s.dispatch.recentlySent?.has(id)).toBe(sentByWorker);
      expect(done.statusHistory.find((c) => c.status === "MESSAGE_STATUS_SENDING")?.detail).toContain(
        "consent: allowed (test)",
      );
      const outbox = await s.sim.outbox("+16175551001");
      expect(outbox).toHaveLength(1);
      expect(outbox[0]!.text).toBe("Polls open at 7 — reply STOP to opt out");
      // The final consent check ran at dispatch time and counted the solicitation.
      expect(s.consent.checks.filter((c) => c.countSolicitation)).toHaveLength(1);
      const events = await eventually(async () => {
        const evs = (await statusEvents(s)).filter((e) => e.messageId === id).map((e) => e.status);
        return evs.includes("delivered") ? evs : undefined;
      });
      expect(events).toEqual(expect.arrayContaining(["sending", "sent", "delivered"]));
    });
  });

  test("bad input gets precise errors", async ({ infra }) => {
    await withStack(infra, async (s) => {
      const base = { orgId: ORG, to: recipient(1), text: "hi" };
      expect((await errorOf(s.client.SendMessage({ ...base, text: "  " }))).code).toBe("empty_text");
      const long = await errorOf(s.client.SendMessage({ ...base, text: "x".repeat(2049) }));
      expect([long.kind, long.code]).toEqual(["invalid_argument", "text_too_long"]);
      expect((await s.client.SendMessage({ ...base, text: "x".repeat(2048) })).message?.segments).toBe(14);
      const badTo = await errorOf(s.client.SendMessage({ ...base, to: "call me" }));
      expect([badTo.kind, badTo.code]).toEqual(["invalid_argument", "invalid_phone"]);
      expect((await errorOf(s.client.SendMessage({ ...base, from: "12" }))).code).toBe("invalid_phone");
      const notOurs = await errorOf(s.client.SendMessage({ ...base, from: SENDER2 }));
      expect([notOurs.kind, notOurs.code]).toEqual(["invalid_argument", "from_not_owned"]);
      const noNumbers = await errorOf(s.client.SendMessage({ ...base, orgId: OTHER_ORG }));
      expect([noNumbers.kind, noNumbers.code]).toEqual(["failed_precondition", "no_sender_number"]);
      const taken = await errorOf(s.client.AssignNumber({ orgId: OTHER_ORG, number: SENDER }));
      expect([taken.kind, taken.code]).toEqual(["already_exists", "number_taken"]);
    });
  });

  test("another org's message and an unknown id are NOT_FOUND", async ({ infra }) => {
    await withStack(infra, async (s) => {
      const { message } = await s.client.SendMessage({ orgId: ORG, to: recipient(2), text: "hi" });
      const other = await errorOf(s.client.GetMessage({ orgId: OTHER_ORG, id: message!.id! }));
      expect([other.kind, other.code]).toEqual(["not_found", "message_not_found"]);
      expect((await errorOf(s.client.GetMessage({ orgId: ORG, id: "nope" }))).kind).toBe("not_found");
      expect((await errorOf(s.client.CancelMessage({ orgId: OTHER_ORG, id: message!.id! }))).kind).toBe(
        "not_found",
      );
    });
  });

  test("a recipient already opted out is refused at accept, with the reason", async ({ infra }) => {
    await withStack(infra, async (s) => {
      s.consent.decide = (req) =>
        req.to === recipient(3)
          ? {
              decision: "DECISION_DENY",
              reason: "DENY_REASON_OPTED_OUT",
              detail: "opted out by STOP on 2026-11-01",
            }
          : { decision: "DECISION_ALLOW", reason: "DENY_REASON_UNSPECIFIED", detail: "ok" };
      const err = await errorOf(s.client.SendMessage({ orgId: ORG, to: recipient(3), text: "hi" }));
      expect([err.kind, err.code]).toEqual(["failed_precondition", "recipient_opted_out"]);
      expect(err.message).toContain("opted out by STOP");
      const batch = await s.client.SendBatch({
        orgId: ORG,
        messages: [
          { to: recipient(3), text: "a" },
          { to: recipient(4), text: "b" },
          { to: "nope", text: "c" },
        ],
      });
      expect(batch.results.map((r) => r.errorCode || r.message?.status)).toEqual([
        "recipient_opted_out",
        "MESSAGE_STATUS_ACCEPTED",
        "invalid_phone",
      ]);
      expect((await s.client.ListMessages({ orgId: ORG })).messages).toHaveLength(1);
    });
  });

  test("the same idempotency key returns the first message, even for concurrent requests", async ({
    infra,
  }) => {
    await withStack(infra, async (s) => {
      const req = { orgId: ORG, to: recipient(5), text: "once", idempotencyKey: "k-1" };
      const results = await Promise.all([1, 2, 3, 4].map(() => s.client.SendMessage(req)));
      const ids = new Set(results.map((r) => r.message!.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const again = await s.client.SendBatch({
        orgId: ORG,
        messages: [req, { ...req, idempotencyKey: "k-2" }, { ...req, idempotencyKey: "k-2" }],
      });
      expect(again.results[0]!.message!.id).toBe([...ids][0]);
      expect(again.results[1]!.message!.id).toBe(again.results[2]!.message!.id);
      await eventually(async () => (await s.sim.outbox(recipient(5))).length === 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(await s.sim.outbox(recipient(5))).toHaveLength(2);
    });
  });

  test("concurrent SendMessage calls are stored in groups, and each call gets its own answer", async ({
    infra,
  }) => {
    const profile = startCommandProfile(); // the stack's clients record their commands
    await withStack(infra, async (s) => {
      stopCommandProfile();
      s.consent.decide = (req) =>
        req.to === recipient(7)
          ? { decision: "DECISION_DENY", reason: "DENY_REASON_OPTED_OUT", detail: "opted out by STOP" }
          : { decision: "DECISION_ALLOW", reason: "DENY_REASON_UNSPECIFIED", detail: "ok" };
      const calls = Array.from({ length: 40 }, (_, i) => {
        const req = { orgId: ORG, to: recipient(100 + i), text: `n${i}` };
        if (i === 5) req.to = recipient(7); // opted out
        if (i === 6) req.to = "call me"; // not a number
        if (i === 7) Object.assign(req, { from: SENDER2 }); // not the org's number
        if (i === 8) req.orgId = OTHER_ORG; // an org without numbers
        return s.client.SendMessage(req).then(
          (r) => r.message!,
          (e: unknown) => {
            if (e instanceof DomainError) return e.code;
            throw e;
          },
        );
      });
      const answers = await Promise.all(calls);
      expect(answers.slice(5, 9)).toEqual([
        "recipient_opted_out",
        "invalid_phone",
        "from_not_owned",
        "no_sender_number",
      ]);
      const accepted = answers.filter((a): a is Exclude<typeof a, string> => typeof a !== "string");
      expect(accepted).toHaveLength(36);
      for (const [i, a] of answers.entries()) {
        if (typeof a !== "string") expect([a.to, a.text]).toEqual([recipient(100 + i), `n${i}`]);
      }
      expect(new Set(accepted.map((a) => a.id)).size).toBe(36);
      // Grouped: far fewer inserts than messages (36 one-document inserts without grouping).
      const inserts = [...profile.entries()].filter(([shape]) => shape.startsWith("insert messages"));
      const insertedDocs = inserts.reduce((n, [shape, r]) => n + Number(shape.split(" ")[2]) * r.count, 0);
      const insertCommands = inserts.reduce((n, [, r]) => n + r.count, 0);
      expect(insertedDocs).toBe(36);
      expect(insertCommands).toBeLessThan(18);
      await eventually(async () => (await s.sim.outbox()).length === 36);
      expect((await s.client.ListMessages({ orgId: ORG, pageSize: 100 })).messages).toHaveLength(36);
    });
  });

  test("ListMessages pages with an opaque cursor and filters by to, status and campaign", async ({
    infra,
  }) => {
    await withStack(infra, async (s) => {
      s.consent.decide = (req) =>
        req.countSolicitation && req.to === recipient(10)
          ? {
              decision: "DECISION_DENY",
              reason: "DENY_REASON_SUPPRESSED",
              detail: "on the platform do-not-text list",
            }
          : { decision: "DECISION_ALLOW", reason: "DENY_REASON_UNSPECIFIED", detail: "ok" };
      const batch = await s.client.SendBatch({
        orgId: ORG,
        messages: Array.from({ length: 7 }, (_, i) => ({
          to: recipient(10 + (i % 3)),
          text: `m${i}`,
          campaignId: i < 4 ? "c1" : "c2",
        })),
      });
      expect(batch.results.every((r) => r.message)).toBe(true);
      const seen: string[] = [];
      let cursor = "";
      do {
        const page = await s.client.ListMessages({ orgId: ORG, pageSize: 3, cursor });
        expect(page.messages.length).toBeLessThanOrEqual(3);
        seen.push(...page.messages.map((m) => m.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(7);
      expect((await s.client.ListMessages({ orgId: ORG, to: "617-555-1010" })).messages).toHaveLength(3);
      expect((await s.client.ListMessages({ orgId: ORG, campaignId: "c2" })).messages).toHaveLength(3);
      expect((await s.client.ListMessages({ orgId: OTHER_ORG })).messages).toHaveLength(0);
      const blocked = await eventually(async () => {
        const r = await s.client.ListMessages({ orgId: ORG, status: "MESSAGE_STATUS_BLOCKED" });
        return r.messages.length === 3 ? r.messages : undefined;
      });
      expect(blocked.every((m) => m.blockedReason === "suppressed")).toBe(true);
      expect((await errorOf(s.client.ListMessages({ orgId: ORG, cursor: "garbage" }))).code).toBe(
        "invalid_cursor",
      );
    });
  });

  test("a message can be canceled before sending, not after", async ({ infra }) => {
    await withStack(
      infra,
      async (s) => {
        const { message } = await s.client.SendMessage({ orgId: ORG, to: recipient(20), text: "hi" });
        const canceled = await s.client.CancelMessage({ orgId: ORG, id: message!.id! });
        expect(canceled.status).toBe("MESSAGE_STATUS_CANCELED");
        await s.replica();
        const { message: m2 } = await s.client.SendMessage({ orgId: ORG, to: recipient(21), text: "hi" });
        await eventually(
          async () =>
            (await s.client.GetMessage({ orgId: ORG, id: m2!.id! })).status === "MESSAGE_STATUS_DELIVERED",
        );
        const late = await errorOf(s.client.CancelMessage({ orgId: ORG, id: m2!.id! }));
        expect([late.kind, late.code]).toEqual(["failed_precondition", "not_cancelable"]);
        expect(await s.sim.outbox(recipient(20))).toHaveLength(0);
        expect((await s.client.GetMessage({ orgId: ORG, id: message!.id! })).status).toBe(
          "MESSAGE_STATUS_CANCELED",
        );
      },
      { workers: false },
    );
  });

  test("sender selection: explicit from, then the sticky sender, then the pool by area code", async ({
    infra,
  }) => {
    await withStack(infra, async (s) => {
      await s.client.AssignNumber({ orgId: ORG, number: SENDER2 });
      const send = async (to: string, from = "") => {
        const { message } = await s.client.SendMessage({ orgId: ORG, to, text: "hi", from });
        return eventually(async () => {
          const m = await s.client.GetMessage({ orgId: ORG, id: message!.id! });
          return m.status === "MESSAGE_STATUS_DELIVERED" ? m.from : undefined;
        });
      };
      expect(await send("+12125551234")).toBe(SENDER2); // 212 matches SENDER2's area code
      expect(await send("+14155552671")).toBe(SENDER); // 415 matches SENDER
      expect(await send("+14155552672", SENDER2)).toBe(SENDER2); // explicit
      expect(await send("+14155552672")).toBe(SENDER2); // sticky: that number last texted them
    });
  });
});

describe("carrier events", () => {
  test("duplicated and out-of-order callbacks leave the right final status", async ({ infra }) => {
    await withStack(
      infra,
      async (s) => {
        const batch = await s.client.SendBatch({
          orgId: ORG,
          messages: Array.from({ length: 10 }, (_, i) => ({ to: recipient(30 + i), text: `m${i}` })),
        });
        const ids = batch.results.map((r) => r.message!.id!);
        await eventually(async () => {
          const page = await s.client.ListMessages({ orgId: ORG });
          const st = page.messages.map((m) => m.status);
          if (st.filter((x) => x === "MESSAGE_STATUS_DELIVERED").length !== 10) throw new Error(st.join(","));
          return true;
        });
        // Late duplicates of every callback arrive after the end: nothing moves back.
        await eventually(() => s.bridge.received >= 40);
        await new Promise((r) => setTimeout(r, 500));
        for (const id of ids) {
          const m = await s.client.GetMessage({ orgId: ORG, id });
          expect(m.status).toBe("MESSAGE_STATUS_DELIVERED");
          expect(m.statusHistory.filter((c) => c.status === "MESSAGE_STATUS_DELIVERED")).toHaveLength(1);
        }
        expect(await s.sim.outbox()).toHaveLength(10);
      },
      { sim: { duplicateCallbacks: true, outOfOrderCallbacks: true } },
    );
  });

  test("a carrier failure is recorded with a readable reason, and a carrier-reported opt-out reaches consent", async ({
    infra,
  }) => {
    await withStack(
      infra,
      async (s) => {
        const a = await s.client.SendMessage({ orgId: ORG, to: recipient(40), text: "hi" });
        const b = await s.client.SendMessage({ orgId: ORG, to: recipient(41), text: "hi" });
        const failedA = await eventually(async () => {
          const m = await s.client.GetMessage({ orgId: ORG, id: a.message!.id! });
          return m.status === "MESSAGE_STATUS_FAILED" ? m : undefined;
        });
        expect(failedA.errorCode).toBe("4775");
        expect(failedA.errorReason).toBe("the recipient has opted out with their carrier");
        const failedB = await eventually(async () => {
          const m = await s.client.GetMessage({ orgId: ORG, id: b.message!.id! });
          return m.status === "MESSAGE_STATUS_FAILED" ? m : undefined;
        });
        expect(failedB.errorReason).toBe("invalid destination number");
        await eventually(() => s.consent.optOuts.length === 1);
        expect(s.consent.optOuts[0]).toMatchObject({
          orgId: ORG,
          phone: recipient(40),
          source: "CONSENT_SOURCE_CARRIER_REPORT",
        });
      },
      { sim: { errorCodes: { [recipient(40)]: 4775, [recipient(41)]: 4720 } } },
    );
  });

  test("a 400 from the carrier fails the message with the carrier's reason", async ({ infra }) => {
    await withStack(
      infra,
      async (s) => {
        const { message } = await s.client.SendMessage({ orgId: ORG, to: recipient(42), text: "hi" });
        const m = await eventually(async () => {
          const r = await s.client.GetMessage({ orgId: ORG, id: message!.id! });
          return r.status === "MESSAGE_STATUS_FAILED" ? r : undefined;
        });
        expect(m.errorCode).toBe("http_400");
        expect(m.errorReason).toContain("Forced by carrier-sim");
      },
      { sim: { httpStatus: { [recipient(42)]: 400 } } },
    );
  });

  test("an inbound text is routed to the org that owns the number; a compliance reply goes out exactly once", async ({
    infra,
  }) => {
    await withStack(infra, async (s) => {
      const res = await fetch(`${s.sim.baseUrl}/sim/inbound`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: recipient(50), to: SENDER, text: "STOP" }),
      });
      expect(res.status).toBe(202);
      const inbound = await eventually(async () => {
        const c = await s.nats.js.consumers.get("EVENTS", { filter_subjects: [SUBJECTS.inboundReceived] });
        const m = await c.next({ expires: 1000 });
        return m?.json<InboundReceivedEvent>();
      });
      expect(inbound).toMatchObject({ orgId: ORG, from: recipient(50), to: SENDER, text: "STOP" });

      const js = jetstream(s.nats.nc);
      const reply = {
        orgId: ORG,
        to: recipient(50),
        from: SENDER,
        text: "You are unsubscribed from Test. No more messages will be sent. Reply HELP for help.",
        kind: "opt_out_confirmation",
        authorizationId: "auth-1",
        inboundId: inbound.inboundId,
      };
      // Published twice (past the dedupe window, as if consent re-sent it): still one text.
      await publishJson(js, SUBJECTS.complianceReplyRequested, reply, { msgID: "reply:a" });
      await publishJson(js, SUBJECTS.complianceReplyRequested, reply, { msgID: "reply:b" });
      await eventually(async () => (await s.sim.outbox(recipient(50))).length === 1);
      await new Promise((r) => setTimeout(r, 500));
      expect(await s.sim.outbox(recipient(50))).toHaveLength(1);
      const finalCheck = s.consent.checks.find((c) => c.countSolicitation && c.to === recipient(50));
      expect(finalCheck).toMatchObject({
        purpose: "PURPOSE_COMPLIANCE",
        complianceAuthorizationId: "auth-1",
      });
    });
  });
});
