// End to end: what `npm start` brings up, driven only through its public HTTP APIs (the gateway
// and carrier-sim's handset controls), exactly as the README's walkthrough does.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, repoRoot } from "@chorus/infra";
import { eventually } from "@chorus/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ADMIN_TOKEN = "e2e-admin-token-0123456789";
const SENDER = "+14155552671";
const HANDSET = "+12124567890";

let platform: ChildProcess;
let output = "";
let dataDir: string;
let gateway: string;
let sim: string;

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${gateway}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function outbox(to: string): Promise<Array<{ from: string; text: string }>> {
  const res = await fetch(`${sim}/sim/outbox?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { items: Array<{ from: string; text: string }> }).items;
}

/** The handset texts the org's number (carrier-sim plays the carrier); answers the HTTP status. */
async function handsetTexts(text: string): Promise<number> {
  const res = await fetch(`${sim}/sim/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: HANDSET, to: SENDER, text }),
  });
  return res.status;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "chorus-e2e-"));
  const ports = {
    CHORUS_NATS_PORT: await freePort(),
    CHORUS_MONGO_PORT: await freePort(),
    CARRIER_SIM_PORT: await freePort(),
    CONSENT_GRPC_PORT: await freePort(),
    DISPATCH_GRPC_PORT: await freePort(),
    GATEWAY_PORT: await freePort(),
  };
  gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
  sim = `http://127.0.0.1:${ports.CARRIER_SIM_PORT}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHORUS_DATA_DIR: dataDir,
    CHORUS_ADMIN_TOKEN: ADMIN_TOKEN,
  };
  for (const [k, v] of Object.entries(ports)) env[k] = String(v);
  // The suite's own servers must not leak in: npm start starts its own.
  delete env.NATS_URL;
  delete env.MONGO_URL;
  env.LOG_LEVEL = process.env.E2E_LOG_LEVEL ?? "warn";
  platform = spawn(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "scripts", "start.ts")], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  platform.stdout?.on("data", (d) => {
    output += d;
  });
  platform.stderr?.on("data", (d) => {
    output += d;
  });
  await eventually(
    () => {
      if (platform.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      return output.includes("Chorus is running");
    },
    { timeoutMs: 120_000, intervalMs: 250, message: "platform start" },
  );
}, 150_000);

afterAll(async () => {
  if (process.env.E2E_OUTPUT) (await import("node:fs")).writeFileSync(process.env.E2E_OUTPUT, output);
  if (platform && platform.exitCode === null) {
    platform.kill("SIGINT");
    await new Promise((r) => platform.once("exit", r));
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("the platform that npm start brings up", () => {
  it("prints where each part listens", () => {
    for (const part of [
      "nats",
      "mongodb (FerretDB)",
      "carrier-sim",
      "consent",
      "dispatch",
      "gateway",
      "API docs",
    ]) {
      expect(output).toContain(part);
    }
    expect(output).toContain(gateway);
  });

  it("answers a person who texted in, takes their STOP, and then refuses to text them", async () => {
    const org = await api("POST", "/v1/admin/orgs", ADMIN_TOKEN, { name: "Neighborhood Food Bank" });
    expect(org.status).toBe(201);
    const orgId = String(org.body.id);
    expect(
      (await api("POST", `/v1/admin/orgs/${orgId}/numbers`, ADMIN_TOKEN, { number: SENDER })).status,
    ).toBe(201);
    const keyRes = await api("POST", `/v1/admin/orgs/${orgId}/api-keys`, ADMIN_TOKEN, {
      name: "crm",
      scopes: ["messages:write", "messages:read", "consent:read", "consent:write"],
    });
    expect(keyRes.status).toBe(201);
    const key = String(keyRes.body.key);

    // The person texts the org first, so the org's answer is a reply in their conversation: it may
    // go at any hour (a solicitation at night would be held for the morning, which would make this
    // test depend on the time it runs).
    expect(await handsetTexts("Hi, is the pantry open tomorrow?")).toBe(202);
    await eventually(
      async () => {
        const check = await api("POST", "/v1/consent/check", key, {
          to: [HANDSET],
          purpose: "conversational",
        });
        // Allowed as a reply (not merely because it is daytime): consent has the person's text.
        const item = (check.body.items as Array<{ decision: string; detail: string | null }>)[0];
        return item?.decision === "allow" && /conversation the recipient started/.test(item.detail ?? "");
      },
      { timeoutMs: 30_000, message: "the person's text reached consent" },
    );

    const sent = await api("POST", "/v1/messages", key, {
      to: "(212) 456-7890",
      text: "Pantry opens at 9 tomorrow.",
      purpose: "conversational",
    });
    expect(sent.status).toBe(202);
    expect(sent.body.to).toBe(HANDSET);
    const id = String(sent.body.id);
    await eventually(async () => (await api("GET", `/v1/messages/${id}`, key)).body.status === "delivered", {
      timeoutMs: 30_000,
      message: "message delivered",
    });
    expect((await outbox(HANDSET)).map((m) => m.text)).toEqual(["Pantry opens at 9 tomorrow."]);

    // The person replies STOP from their handset.
    expect(await handsetTexts("Stop")).toBe(202);
    await eventually(
      async () =>
        (await api("GET", `/v1/consent/${encodeURIComponent(HANDSET)}`, key)).body.status === "opted_out",
      {
        timeoutMs: 30_000,
        message: "opted out",
      },
    );
    // Exactly one confirmation reaches the handset.
    await eventually(async () => (await outbox(HANDSET)).length === 2, {
      timeoutMs: 30_000,
      message: "confirmation",
    });
    const texts = (await outbox(HANDSET)).map((m) => m.text);
    expect(texts[1]).toMatch(/unsubscribed/i);

    const refused = await api("POST", "/v1/messages", key, { to: HANDSET, text: "One more thing!" });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("recipient_opted_out");
    expect(await outbox(HANDSET)).toHaveLength(2);
  }, 120_000);

  it("stops everything on Ctrl-C, leaving no process behind", async () => {
    platform.kill("SIGINT");
    const code = await new Promise<number | null>((r) => platform.once("exit", (c) => r(c)));
    expect(code).toBe(0);
    // nats-server and FerretDB run with the data dir in their arguments.
    let leftovers = "";
    try {
      leftovers = execFileSync("pgrep", ["-f", dataDir], { encoding: "utf8" });
    } catch {
      leftovers = ""; // pgrep exits 1 when nothing matches
    }
    expect(leftovers.trim()).toBe("");
    expect(output).toContain("[chorus] stopped");
  }, 60_000);
});
