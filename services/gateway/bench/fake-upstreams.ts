/**
 * Canned consent and dispatch gRPC servers in their own process, so a gateway under k6 can be
 * measured without the real services' cost (and without sharing its CPU with them).
 *
 *   CONSENT_PORT=15061 DISPATCH_PORT=15062 node --import tsx services/gateway/bench/fake-upstreams.ts
 */
import { createLogger } from "@chorus/chassis/log";
import { startFakeUpstreams } from "../src/test-support.js";

const fakes = await startFakeUpstreams(createLogger({ service: "fake-upstreams", level: "warn" }), {
  consentPort: Number(process.env.CONSENT_PORT ?? 0),
  dispatchPort: Number(process.env.DISPATCH_PORT ?? 0),
  // Keep memory flat under load: the bench never reads messages back.
  remember: false,
});
console.log(`CONSENT_ADDR=${fakes.consentAddr} DISPATCH_ADDR=${fakes.dispatchAddr}`);
const stop = async () => {
  await fakes.stop();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
