/**
 * Send throughput of the partner API: POST /v1/messages at a constant arrival rate against a
 * gateway on loopback. Bounded (RATE × DURATION requests) and loopback-only by design.
 *
 *   node --import tsx loadtests/setup-org.ts            # prints CHORUS_API_KEY=…
 *   CHORUS_API_KEY=chk_… .tools/bin/k6 run loadtests/send-messages.ts
 *
 * Env (k6 __ENV): CHORUS_API_KEY (required), CHORUS_GATEWAY_URL (default http://127.0.0.1:8080,
 * must be loopback), RATE (default 1500 requests/s), DURATION (default 30s), PRE_ALLOCATED_VUS
 * (default 200; up to 1,000 are started as needed, and k6 starting VUs mid-test costs CPU).
 *
 * Compare k6's latency with the gateway's own (`curl -s 127.0.0.1:8080/metrics | grep
 * 'http_request_duration_seconds_bucket.*v1/messages'`): on a saturated machine k6 has measured
 * seconds more than the gateway took to answer (see the root README, Performance).
 */
import { check, fail } from "k6";
import http from "k6/http";

const BASE = __ENV.CHORUS_GATEWAY_URL || "http://127.0.0.1:8080";
const KEY = __ENV.CHORUS_API_KEY || "";
const RATE = Number(__ENV.RATE || 1500);
const DURATION = __ENV.DURATION || "30s";

export const options = {
  scenarios: {
    send: {
      executor: "constant-arrival-rate",
      rate: RATE,
      timeUnit: "1s",
      duration: DURATION,
      preAllocatedVUs: Number(__ENV.PRE_ALLOCATED_VUS || 200),
      maxVUs: 1000,
    },
  },
  thresholds: {
    http_req_duration: ["p(99)<100"],
    http_req_failed: ["rate<0.01"],
    checks: ["rate>0.99"],
  },
  summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
};

export function setup() {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(BASE)) {
    fail(`CHORUS_GATEWAY_URL must be a loopback http URL (got ${BASE})`);
  }
  if (!KEY.startsWith("chk_")) fail("set CHORUS_API_KEY (run loadtests/setup-org.ts first)");
  const res = http.get(`${BASE}/healthz`);
  if (res.status !== 200) fail(`gateway not healthy at ${BASE}: ${res.status}`);
}

const params = {
  headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
  tags: { name: "POST /v1/messages" },
};

export default function () {
  // 100 fictional-range recipients (+1 202 555 01xx).
  const to = `+120255501${String(Math.floor(Math.random() * 100)).padStart(2, "0")}`;
  const body = JSON.stringify({
    to,
    text: "Load test: polls open 7am-8pm.",
    purpose: "informational",
    tag: "k6",
  });
  const res = http.post(`${BASE}/v1/messages`, body, params);
  check(res, { "202 accepted": (r) => r.status === 202 });
}
