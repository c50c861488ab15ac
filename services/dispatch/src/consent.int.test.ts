import { DomainError } from "@chorus/chassis/errors";
import { createLogger } from "@chorus/chassis/log";
import { eventually, expect, test } from "@chorus/testing";
import { loadConsentConfig } from "../../consent/src/config.js";
import { startConsentService } from "../../consent/src/service.js";
import { createConsentClient } from "./consent.js";
import { ORG, recipient, SENDER, startStack } from "./testing/harness.js";

// Noon in New York on a Friday: inside every quiet-hours window, so only consent state decides.
const NOON_ET = () => new Date("2026-11-27T17:00:00.000Z");

test("against the real consent service: opted-out refused at accept, opt-out before dispatch blocks, a carrier-reported opt-out is recorded", async ({
  infra,
}) => {
  const log = createLogger({ service: "dispatch-test", level: "error" });
  const consentSvc = await startConsentService(
    loadConsentConfig({
      NATS_URL: infra.natsUrl,
      MONGO_URL: infra.mongoUrl,
      CONSENT_DB: `${infra.dbName}_consent`,
      CONSENT_GRPC_PORT: "0",
      LOG_LEVEL: "error",
    }),
    { log, clock: NOON_ET },
  );
  const consentAddr = `127.0.0.1:${consentSvc.grpcPort}`;
  const consent = createConsentClient(consentAddr, 5_000);
  // The API without workers first, so "between accept and dispatch" is a real window.
  const s = await startStack(infra, {
    workers: false,
    clock: NOON_ET,
    config: { CONSENT_ADDR: consentAddr },
    sim: { errorCodes: { [recipient(3)]: 4775 } },
  });
  try {
    await consent.UpsertOrgPolicy({
      policy: { orgId: ORG, programName: "Riverside Tenants Union", helpContact: "help@example.org" },
    });
    await s.client.AssignNumber({ orgId: ORG, number: SENDER });
    await consent.RecordOptOut({
      orgId: ORG,
      phone: recipient(1),
      source: "CONSENT_SOURCE_API",
      evidence: { actor: "test" },
    });

    const refused = await s.client
      .SendMessage({ orgId: ORG, to: recipient(1), text: "hi", purpose: "PURPOSE_INFORMATIONAL" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe("recipient_opted_out");

    const later = await s.client.SendMessage({
      orgId: ORG,
      to: recipient(2),
      text: "hi",
      purpose: "PURPOSE_INFORMATIONAL",
    });
    const ok = await s.client.SendMessage({
      orgId: ORG,
      to: recipient(0),
      text: "hi",
      purpose: "PURPOSE_INFORMATIONAL",
    });
    const carrierOptOut = await s.client.SendMessage({
      orgId: ORG,
      to: recipient(3),
      text: "hi",
      purpose: "PURPOSE_INFORMATIONAL",
    });
    // recipient(2) texts STOP after we accepted but before any worker ran.
    await consent.RecordOptOut({
      orgId: ORG,
      phone: recipient(2),
      source: "CONSENT_SOURCE_KEYWORD",
      evidence: { words: "STOP", actor: "recipient" },
    });
    await s.replica();

    const blocked = (await eventually(
      async () => {
        const m = await s.client.GetMessage({ orgId: ORG, id: later.message!.id! });
        return m.status === "MESSAGE_STATUS_BLOCKED" ? m : undefined;
      },
      { timeoutMs: 20_000 },
    ))!;
    expect(blocked.blockedReason).toBe("opted_out");
    await eventually(
      async () =>
        (await s.client.GetMessage({ orgId: ORG, id: ok.message!.id! })).status ===
        "MESSAGE_STATUS_DELIVERED",
      {
        timeoutMs: 20_000,
      },
    );
    expect(await s.sim.outbox(recipient(2))).toHaveLength(0);
    expect(await s.sim.outbox(recipient(0))).toHaveLength(1);

    await eventually(
      async () =>
        (await s.client.GetMessage({ orgId: ORG, id: carrierOptOut.message!.id! })).status ===
        "MESSAGE_STATUS_FAILED",
      {
        timeoutMs: 20_000,
      },
    );
    const state = (await eventually(
      async () => {
        const r = await consent.GetConsent({ orgId: ORG, phone: recipient(3) });
        return r.consent?.status === "CONSENT_STATUS_OPTED_OUT" ? r.consent : undefined;
      },
      { timeoutMs: 20_000 },
    ))!;
    expect(state.lastSource).toBe("CONSENT_SOURCE_CARRIER_REPORT");
  } finally {
    await s.close();
    consent.close();
    await consentSvc.stop();
  }
});
