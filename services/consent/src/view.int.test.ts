/**
 * The in-memory consent view (view.ts) across replicas: what one replica records, another's
 * checks see at once from memory; a key being written is read from MongoDB; a replica started
 * later loads what is there.
 */
import { createClient } from "@chorus/chassis/grpc";
import { createLogger } from "@chorus/chassis/log";
import { connectMongo } from "@chorus/chassis/mongo";
import type { NatsConnection } from "@chorus/chassis/nats";
import { publishJson, SUBJECTS } from "@chorus/chassis/nats";
import { consentV1 } from "@chorus/protos";
import { describe, expect, test } from "@chorus/testing";
import { MongoClient } from "mongodb";
import { startConsentService } from "./service.js";
import { checksAround, inboundDrained, startHarness, withPolicy, workdayClock } from "./testing/harness.js";
import { ConsentView } from "./view.js";

const NY = "+12125550123";
const NY2 = "+12125550124";
const NY3 = "+12125550125";
const NY4 = "+12125550126";
const FL = "+13055550123"; // Miami: at most 3 solicitations in 24 h, 08:00–20:00 every day
const FL2 = "+13055550124";
// Generous: these tests assert that the barrier held (no fallback), not how fast it is. Policies
// cached, as deployed: checks the view can answer then take the path that waits for nothing.
const env = { CONSENT_VIEW_BARRIER_MS: "5000", POLICY_CACHE_MS: "60000" };

async function replica(h: Awaited<ReturnType<typeof startHarness>>, viewLagMs = 0) {
  const service = await startConsentService(h.config, { log: h.log, clock: workdayClock(), viewLagMs });
  const client = createClient(consentV1().ConsentService, `127.0.0.1:${service.grpcPort}`, {
    deadlineMs: 10_000,
  });
  return {
    service,
    client,
    view: () => {
      if (!service.view) throw new Error("replica started without its view");
      return service.view;
    },
    async stop() {
      client.close();
      await service.stop();
    },
  };
}

const check = (c: { Check: (r: object) => Promise<{ decision: string; reason: string }> }, to: string) =>
  c.Check({ orgId: "org_1", to, purpose: "PURPOSE_CONVERSATIONAL", recipientStartedConversation: true });

describe("consent view", () => {
  test("once an opt-out or a suppression has returned on one replica, every check started afterwards on another denies, answered from memory", async ({
    infra,
  }) => {
    const h = await startHarness(infra, { env });
    const b = await replica(h);
    try {
      await withPolicy(h);
      expect((await check(b.client, NY)).decision).toBe("DECISION_ALLOW");
      let answeredAtWrite = 0;
      const { log, writtenAt } = await checksAround(
        async () => (await check(b.client, NY)).decision === "DECISION_ALLOW",
        async () => {
          await h.client.RecordOptOut({
            orgId: "org_1",
            phone: NY,
            source: "CONSENT_SOURCE_KEYWORD",
            evidence: { words: "STOP" },
          });
          answeredAtWrite = b.service.checker.stats().fromMemory;
        },
      );
      const after = log.filter((x) => x.started > writtenAt);
      expect(after.length).toBeGreaterThan(0);
      expect(after.filter((x) => x.allowed)).toEqual([]);
      // Checks after the write were answered at once from memory (checker.ts `#fromMemory`), not
      // only by the path that waits for the barrier or reads MongoDB.
      expect(b.service.checker.stats().fromMemory).toBeGreaterThan(answeredAtWrite);

      await h.client.AddSuppression({ phone: NY2, reason: "court order", actor: "operator" });
      expect(await check(b.client, NY2)).toMatchObject({
        decision: "DECISION_DENY",
        reason: "DENY_REASON_SUPPRESSED",
      });
      await h.client.RemoveSuppression({ phone: NY2, reason: "order lifted", actor: "operator" });
      expect((await check(b.client, NY2)).decision).toBe("DECISION_ALLOW");
      // Every one of those checks passed the read barrier: none fell back to MongoDB.
      expect(b.view().stats()).toMatchObject({ ready: true, fallbacks: 0, marked: 0 });
    } finally {
      await b.stop();
      await h.close();
    }
  });

  test("a replica whose view lags waits at the read barrier: a check right after an opt-out elsewhere still denies", async ({
    infra,
  }) => {
    const h = await startHarness(infra, { env });
    // Every stream message reaches this replica's memory a second late.
    const b = await replica(h, 1_000);
    try {
      await withPolicy(h);
      expect((await check(b.client, NY)).decision).toBe("DECISION_ALLOW");
      await h.client.RecordOptOut({
        orgId: "org_1",
        phone: NY,
        source: "CONSENT_SOURCE_KEYWORD",
        evidence: { words: "STOP" },
      });
      const view = b.view();
      // Not in memory yet (unknown, or at most marked as being written)…
      expect(view.status("org_1", NY)).not.toBe("opted_out");
      // …but a check waits for it, and answers from memory.
      expect(await check(b.client, NY)).toMatchObject({
        decision: "DECISION_DENY",
        reason: "DENY_REASON_OPTED_OUT",
      });
      expect(view.status("org_1", NY)).toBe("opted_out");
      expect(view.stats().fallbacks).toBe(0);
    } finally {
      await b.stop();
      await h.close();
    }
  });

  test("when NATS does not answer the read barrier, sync gives up in time and the check reads MongoDB", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    const mongo = await connectMongo({
      url: infra.mongoUrl,
      dbName: h.config.CONSENT_DB,
      appName: "view-test",
    });
    let answering = true;
    // The real connection, except that stream-info requests go nowhere when told to (NATS unreachable).
    const nc = new Proxy(h.nats.nc, {
      get(target, prop) {
        const v = Reflect.get(target, prop);
        if (prop === "publish") {
          return (subject: string, ...rest: unknown[]) =>
            !answering && subject.startsWith("$JS.API.STREAM.INFO.")
              ? undefined
              : (v as (...a: unknown[]) => void).call(target, subject, ...rest);
        }
        return typeof v === "function" ? v.bind(target) : v;
      },
    }) as NatsConnection;
    const view = new ConsentView({
      nc,
      js: h.nats.js,
      jsm: h.nats.jsm,
      db: mongo.db,
      dbName: h.config.CONSENT_DB,
      log: createLogger({ service: "view-test", level: "silent" }),
      barrierTimeoutMs: 200,
    });
    try {
      await view.start();
      expect(await view.sync()).toBe(true);
      answering = false;
      expect(await view.sync()).toBe(false);
      expect(view.stats().fallbacks).toBe(1);
      answering = true;
      expect(await view.sync()).toBe(true);
    } finally {
      await view.stop();
      await mongo.close();
      await h.close();
    }
  });

  test("a key being written is read from MongoDB: a writer that died between dirty and settled cannot make the view lax", async ({
    infra,
  }) => {
    const h = await startHarness(infra, { env });
    const mongo = new MongoClient(infra.mongoUrl);
    try {
      await withPolicy(h);
      const states = mongo
        .db(h.config.CONSENT_DB)
        .collection<{ _id: string } & Record<string, unknown>>("consent_states");
      const optedOut = (phone: string) => ({
        _id: `org_1:${phone}`,
        orgId: "org_1",
        phone,
        status: "opted_out",
        updatedAt: new Date(),
        lastSource: "keyword",
        seq: 1,
        lastEventId: `crashed-${phone}`,
        lastPreviousStatus: "unknown",
      });
      // The crashed writer: its `dirty` went out, its write landed, its `settled` never did.
      await publishJson(
        h.nats.js,
        SUBJECTS.consentView,
        { k: "dirty", scope: "state", db: h.config.CONSENT_DB, orgId: "org_1", phone: NY, w: "crashed" },
        { msgID: "view:crashed:dirty" },
      );
      await states.insertOne(optedOut(NY));
      expect(await check(h.client, NY)).toMatchObject({
        decision: "DECISION_DENY",
        reason: "DENY_REASON_OPTED_OUT",
      });
      const view = h.service.view;
      if (!view) throw new Error("started without its view");
      expect(view.status("org_1", NY)).toBeUndefined();

      // The view is what answers: a write that skips the bracket (never done in Chorus: consent
      // changes go through the ledger) is not seen by checks until the replica reloads.
      await states.insertOne(optedOut(NY3));
      expect((await check(h.client, NY3)).decision).toBe("DECISION_ALLOW");
      await h.restart();
      expect((await check(h.client, NY3)).decision).toBe("DECISION_DENY");
    } finally {
      await mongo.close();
      await h.close();
    }
  });

  test("a replica started later loads the ledger and the suppression list, and answers from memory", async ({
    infra,
  }) => {
    const h = await startHarness(infra, { env });
    let b: Awaited<ReturnType<typeof replica>> | undefined;
    try {
      await withPolicy(h);
      await h.client.RecordOptOut({
        orgId: "org_1",
        phone: NY,
        source: "CONSENT_SOURCE_API",
        evidence: { words: "", reason: "partner opt-out" },
      });
      await h.client.AddSuppression({ phone: NY2, reason: "litigator", actor: "ops" });
      b = await replica(h);
      expect(b.view().stats()).toMatchObject({ ready: true, states: 1, suppressed: 1 });
      const [one, two, three] = await Promise.all([
        check(b.client, NY),
        check(b.client, NY2),
        check(b.client, NY3),
      ]);
      expect(one.reason).toBe("DENY_REASON_OPTED_OUT");
      expect(two.reason).toBe("DENY_REASON_SUPPRESSED");
      expect(three.decision).toBe("DECISION_ALLOW");
      const batch = await b.client.CheckBatch({
        orgId: "org_1",
        purpose: "PURPOSE_CONVERSATIONAL",
        to: [NY3, NY, NY2],
      });
      expect(batch.results.map((r: { reason: string }) => r.reason)).toEqual([
        "DENY_REASON_UNSPECIFIED",
        "DENY_REASON_OPTED_OUT",
        "DENY_REASON_SUPPRESSED",
      ]);
      expect(b.view().stats().fallbacks).toBe(0);
    } finally {
      await b?.stop();
      await h.close();
    }
  });

  test("with a staleness bound F, checks share the background polls; a write is acknowledged only once every poll older than it has gone stale", async ({
    infra,
  }) => {
    const F = 1_500;
    // The writer (the harness's replica) runs with the same bound, as the deployment requires.
    const h = await startHarness(infra, { env: { CONSENT_VIEW_STALENESS_MS: String(F) } });
    const mongo = await connectMongo({
      url: infra.mongoUrl,
      dbName: h.config.CONSENT_DB,
      appName: "view-test",
    });
    const viewOf = (stalenessMs: number, lagMs = 0) =>
      new ConsentView({
        nc: h.nats.nc,
        js: h.nats.js,
        jsm: h.nats.jsm,
        db: mongo.db,
        dbName: h.config.CONSENT_DB,
        log: createLogger({ service: "view-test", level: "silent" }),
        barrierTimeoutMs: 10_000,
        stalenessMs,
        pollEveryMs: 0, // polls only when a check needs one: the counts below are exact
        ...(lagMs ? { lagMs } : {}),
      });
    const exact = viewOf(0);
    const shared = viewOf(60_000);
    // Applies every stream message a second late, one after the other.
    const lagging = viewOf(F, 1_000);
    try {
      await withPolicy(h);
      await Promise.all([exact.start(), shared.start(), lagging.start()]);
      for (let i = 0; i < 20; i++) {
        expect(await exact.sync()).toBe(true);
        expect(await shared.sync()).toBe(true);
      }
      expect(exact.stats().polls).toBe(20); // F = 0: a poll of its own for every check
      expect(shared.stats().polls).toBe(1); // one poll serves every check within F of it

      expect(await lagging.sync()).toBe(true);
      expect(lagging.status("org_1", NY)).toBe("unknown");
      await h.client.RecordOptOut({
        orgId: "org_1",
        phone: NY,
        source: "CONSENT_SOURCE_KEYWORD",
        evidence: { words: "STOP" },
      });
      // The first poll went stale while the writer waited, so this check polls again, sees the
      // opt-out's stream position and waits until the lagging view has applied it. (Had the writer
      // not waited, the first poll would still count as fresh and the view still say "unknown".)
      expect(await lagging.sync()).toBe(true);
      expect(lagging.status("org_1", NY)).toBe("opted_out");
      expect(lagging.stats()).toMatchObject({ polls: 2, fallbacks: 0 });
    } finally {
      await Promise.all([exact.stop(), shared.stop(), lagging.stop()]);
      await mongo.close();
      await h.close();
    }
  });

  test("a check answered at once from memory decides exactly as one read from MongoDB", async ({ infra }) => {
    const h = await startHarness(infra, { env });
    const FL3 = "+13055550125";
    let b: Awaited<ReturnType<typeof startConsentService>> | undefined;
    let c: Awaited<ReturnType<typeof startConsentService>> | undefined;
    const clients: Array<{ close(): void }> = [];
    try {
      // 11:00 in Miami, after the replicas' loads (below).
      const day = new Date(Date.now() + 2 * 86_400_000);
      day.setUTCHours(16, 0, 0, 0);
      const night = new Date(day.getTime() + 11 * 3_600_000); // 03:00 in New York
      await withPolicy(h);
      await withPolicy(h, "org_2", {
        requireExpressConsentForMarketing: true,
        frequencyCap: { maxMessages: 1, windowHours: 24 },
      });
      const source = "CONSENT_SOURCE_KEYWORD";
      for (const org of ["org_1", "org_2"]) {
        await h.client.RecordOptOut({ orgId: org, phone: NY, source, evidence: { words: "STOP" } });
        await h.client.RecordOptIn({ orgId: org, phone: NY2, source, evidence: { words: "START" } });
      }
      await h.client.AddSuppression({ phone: NY3, reason: "court order", actor: "operator" });
      // FL3 texted org_1: a conversational message to FL3 is a reply, by consent's own record.
      const receivedAt = new Date(day.getTime() - 3_600_000).toISOString();
      await h.inbound({ from: FL3, text: "what time is the meeting?", receivedAt });
      await inboundDrained(h);
      // FL has used its three sends of the day, FL2 one (org_2's own cap is 1).
      for (const [org, to, n] of [
        ["org_1", FL, 3],
        ["org_2", FL2, 1],
      ] as const) {
        for (let i = 0; i < n; i++) {
          const r = await h.client.Check({
            orgId: org,
            to,
            purpose: "PURPOSE_INFORMATIONAL",
            at: new Date(day.getTime() - (i + 1) * 60_000).toISOString(),
            countSolicitation: true,
          });
          expect(r.decision).toBe("DECISION_ALLOW");
        }
      }
      // b answers from its view (F of a minute: every check after the first finds the barrier
      // met); c has no view and reads every fact from MongoDB. Policies are cached in both.
      const cached = { ...h.config, POLICY_CACHE_MS: 60_000 };
      b = await startConsentService(
        { ...cached, CONSENT_VIEW_STALENESS_MS: 60_000 },
        { log: h.log, clock: workdayClock() },
      );
      c = await startConsentService(
        { ...cached, CONSENT_VIEW: false },
        { log: h.log, clock: workdayClock() },
      );
      const [fromView, fromMongo] = [b, c].map((s) => {
        const client = createClient(consentV1().ConsentService, `127.0.0.1:${s.grpcPort}`, {
          deadlineMs: 10_000,
        });
        clients.push(client);
        return client;
      }) as [typeof h.client, typeof h.client];
      const requests: Array<Record<string, unknown>> = [];
      for (const orgId of ["org_1", "org_2"])
        for (const to of [NY, NY2, NY3, NY4, FL, FL2, FL3, "call me maybe"])
          for (const at of [day, night])
            for (const purpose of ["MARKETING", "INFORMATIONAL", "CONVERSATIONAL", "COMPLIANCE"])
              requests.push({
                orgId,
                to,
                at: at.toISOString(),
                purpose: `PURPOSE_${purpose}`,
                recipientStartedConversation: purpose === "CONVERSATIONAL" && to !== FL3,
                ...(to === NY4 ? { contactRegion: "TX", contactTimeZone: "America/Chicago" } : {}),
              });
      // The first check polls; each org's first reads its policy.
      for (const orgId of ["org_1", "org_2"]) await fromView.Check({ ...requests[0], orgId } as never);
      const before = b.checker.stats();
      for (const r of requests) {
        expect(await fromView.Check(r as never), JSON.stringify(r)).toEqual(
          await fromMongo.Check(r as never),
        );
      }
      const after = b.checker.stats();
      // All but the conversational checks to FL3 (who may have texted in: consent's reply-window
      // record is in MongoDB) were answered without waiting; those read it and were exempt.
      const lookups = requests.filter((r) => r.to === FL3 && r.purpose === "PURPOSE_CONVERSATIONAL").length;
      expect(after.fromMemory - before.fromMemory).toBe(requests.length - lookups);
      expect(after.inFull - before.inFull).toBe(lookups);
      expect(c.checker.stats().fromMemory).toBe(0);
      // The answers vary: every reason is among them.
      const reasons = new Set<string>();
      for (const r of requests) reasons.add((await fromView.Check(r as never)).reason);
      expect([...reasons].sort()).toEqual([
        "DENY_REASON_FREQUENCY_CAP",
        "DENY_REASON_INVALID_NUMBER",
        "DENY_REASON_NO_CONSENT",
        "DENY_REASON_OPTED_OUT",
        "DENY_REASON_QUIET_HOURS",
        "DENY_REASON_SUPPRESSED",
        "DENY_REASON_UNSPECIFIED",
      ]);
    } finally {
      for (const client of clients) client.close();
      await b?.stop();
      await c?.stop();
      await h.close();
    }
  });

  test("counted solicitations reach every replica's memory: checks that do not count see the cap from there", async ({
    infra,
  }) => {
    const h = await startHarness(infra, { env });
    const b = await replica(h);
    let c: Awaited<ReturnType<typeof replica>> | undefined;
    const mongo = new MongoClient(infra.mongoUrl);
    // After every replica's load (the view answers for decisions from its load on), 11:00 in Miami.
    const day = new Date(Date.now() + 2 * 86_400_000);
    day.setUTCHours(16, 0, 0, 0);
    const at = day.toISOString();
    const marketing = (client: typeof b.client, to: string, countSolicitation = false) =>
      client.Check({ orgId: "org_1", to, purpose: "PURPOSE_MARKETING", at, countSolicitation });
    try {
      await withPolicy(h);
      for (let i = 0; i < 3; i++)
        expect((await marketing(h.client, FL, true)).decision).toBe("DECISION_ALLOW");
      // Replica b never counted: it learned of the three sends from the stream.
      expect(b.view().solicitationSends("org_1", FL, "", day)).toHaveLength(3);
      // Gone from MongoDB behind the views' back (never done in Chorus): the answers below can only
      // come from memory.
      await mongo.db(h.config.CONSENT_DB).collection("solicitations").deleteMany({});
      expect(await marketing(b.client, FL)).toMatchObject({
        decision: "DECISION_DENY",
        reason: "DENY_REASON_FREQUENCY_CAP",
      });
      const batch = await b.client.CheckBatch({
        orgId: "org_1",
        purpose: "PURPOSE_MARKETING",
        at,
        to: [FL, FL2],
      });
      expect(batch.results.map((r: { reason: string }) => r.reason)).toEqual([
        "DENY_REASON_FREQUENCY_CAP",
        "DENY_REASON_UNSPECIFIED",
      ]);
      expect(b.view().stats().fallbacks).toBe(0);
      // A counting check reads the stored record (its compare-and-set needs it): the count restarts.
      expect((await marketing(b.client, FL, true)).decision).toBe("DECISION_ALLOW");

      // A replica started later loads what MongoDB holds now: the one send just counted.
      c = await replica(h);
      expect(c.view().stats().solicitations).toBe(1);
      expect(c.view().solicitationSends("org_1", FL, "", day)).toHaveLength(1);
      // …and a decision from before its load is read from MongoDB, not from memory.
      expect(c.view().solicitationSends("org_1", FL, "", new Date(Date.now() - 86_400_000))).toBeUndefined();
    } finally {
      await c?.stop();
      await b.stop();
      await mongo.close();
      await h.close();
    }
  });
});
