// `npx tsx deploy/smoke.ts`: the images' contents, run without Docker. For each service it lays
// out what the Dockerfile's runtime stage holds — the deploy/build.mjs bundle, the production
// dependencies of that one service (`npm ci --omit=dev --workspace`), protos/ and /app/main.js —
// in a temp directory, starts the whole platform from those layouts with the environment the dev
// overlay renders (re-pointed at loopback ports), as UID 10001 when run as root, sends a message
// through the gateway, waits for carrier-sim to deliver it, then stops every process with
// SIGTERM and reports how long each took. Exits non-zero if any step fails.
//
// Needs kubectl (or kustomize), npm (packages come from the npm cache or registry) and the
// nats-server / FerretDB binaries (`npm run infra -- build` builds them).
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, type RunningServer, startFerretDb, startNats } from "@chorus/infra";
import { parseAllDocuments } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SERVICES = ["carrier-sim", "consent", "dispatch", "gateway"] as const;
type Svc = (typeof SERVICES)[number];
const work = mkdtempSync(join(tmpdir(), "chorus-smoke-"));
chmodSync(work, 0o755); // the image user must be able to read it, as it reads /app
const say = (line: string) => console.log(`[smoke] ${line}`);

function sh(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr || r.stdout}`);
}

/** The Dockerfile's manifests + prod-deps + runtime stages, for one service. */
function layOut(svc: Svc): string {
  const stage = join(work, svc, "deps");
  mkdirSync(stage, { recursive: true });
  cpSync(join(root, "package.json"), join(stage, "package.json"));
  cpSync(join(root, "package-lock.json"), join(stage, "package-lock.json"));
  for (const group of ["libs", "services"]) {
    for (const d of readdirSync(join(root, group))) {
      const pj = join(root, group, d, "package.json");
      if (existsSync(pj)) cpSync(pj, join(stage, group, d, "package.json"));
    }
  }
  sh(
    "npm",
    [
      "ci",
      "--omit=dev",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--workspace",
      `@chorus/${svc}`,
    ],
    stage,
  );
  for (const group of ["libs", "services"]) {
    for (const d of readdirSync(join(stage, group))) {
      if (existsSync(join(stage, group, d, "node_modules"))) {
        throw new Error(
          `${svc}: nested ${group}/${d}/node_modules (the image build would fail the same way)`,
        );
      }
    }
  }
  rmSync(join(stage, "node_modules", "@chorus"), { recursive: true, force: true });
  const app = join(work, svc, "app");
  mkdirSync(join(app, "services", svc), { recursive: true });
  cpSync(join(stage, "node_modules"), join(app, "node_modules"), { recursive: true, verbatimSymlinks: true });
  cpSync(join(root, "protos"), join(app, "protos"), { recursive: true });
  cpSync(join(root, "services", svc, "dist"), join(app, "services", svc, "dist"), { recursive: true });
  symlinkSync(`services/${svc}/dist/main.js`, join(app, "main.js"));
  rmSync(stage, { recursive: true, force: true });
  return app;
}

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are untyped
type Obj = Record<string, any>;

/** The environment a service's container gets in the dev overlay (ConfigMap, then Secret). */
function devEnv(objs: Obj[], svc: Svc): Record<string, string> {
  const dep = objs.find((o) => o.kind === "Deployment" && o.metadata.name === svc);
  if (!dep) throw new Error(`dev overlay has no Deployment ${svc}`);
  const env: Record<string, string> = {};
  for (const from of dep.spec.template.spec.containers[0].envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const obj = objs.find(
      (o) => o.kind === (from.configMapRef ? "ConfigMap" : "Secret") && o.metadata.name === ref.name,
    );
    if (!obj) throw new Error(`${svc}: ${ref.name} is not in the dev overlay`);
    for (const [k, v] of Object.entries<string>(obj.data ?? {})) {
      env[k] = from.secretRef ? Buffer.from(v, "base64").toString() : v;
    }
  }
  return env;
}

const infra: RunningServer[] = [];
const procs: Array<{ svc: Svc; child: ChildProcess }> = [];
let failed = false;

try {
  say("bundling (deploy/build.mjs)…");
  sh(process.execPath, [join(root, "deploy", "build.mjs"), ...SERVICES], root);
  for (const svc of SERVICES) {
    say(`laying out the ${svc} image (production dependencies only)…`);
    layOut(svc);
  }
  const objs = parseAllDocuments(
    execFileSync("kubectl", ["kustomize", join(root, "deploy/k8s/overlays/dev")], { encoding: "utf8" }),
  ).map((d) => d.toJS() as Obj);

  const nats = await startNats({ ephemeral: true });
  const mongo = await startFerretDb({ ephemeral: true });
  infra.push(nats, mongo);
  const port = {
    consent: await freePort(),
    dispatch: await freePort(),
    gateway: await freePort(),
    sim: await freePort(),
  };
  // In the cluster these are Service names; here, loopback ports.
  const overrides: Record<Svc, Record<string, string>> = {
    "carrier-sim": {
      CARRIER_SIM_PORT: String(port.sim),
      CARRIER_SIM_CALLBACK_URL: `http://127.0.0.1:${port.gateway}/v1/carrier/bandwidth/callbacks`,
    },
    consent: { CONSENT_GRPC_PORT: String(port.consent) },
    dispatch: {
      DISPATCH_GRPC_PORT: String(port.dispatch),
      BANDWIDTH_BASE_URL: `http://127.0.0.1:${port.sim}/api/v2`,
    },
    gateway: { GATEWAY_PORT: String(port.gateway) },
  };
  const loopback: Record<string, string> = {
    NATS_URL: nats.url,
    MONGO_URL: mongo.url,
    CONSENT_ADDR: `127.0.0.1:${port.consent}`,
    DISPATCH_ADDR: `127.0.0.1:${port.dispatch}`,
  };
  const asImageUser = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;
  for (const svc of SERVICES) {
    const env = { ...devEnv(objs, svc), ...overrides[svc] };
    for (const k of Object.keys(loopback)) if (k in env) env[k] = loopback[k] as string;
    const main = join(work, svc, "app", "main.js");
    const [cmd, args] = asImageUser
      ? ["setpriv", ["--reuid=10001", "--regid=10001", "--clear-groups", process.execPath, main]]
      : [process.execPath, [main]];
    const out = openSync(join(work, `${svc}.log`), "w");
    // Only the rendered environment (plus PATH): nothing leaks in from this shell.
    const child = spawn(cmd as string, args as string[], {
      cwd: "/",
      env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent", NODE_ENV: "production", ...env },
      stdio: ["ignore", out, out],
    });
    procs.push({ svc, child });
  }
  say(`started ${SERVICES.join(", ")}${asImageUser ? " as UID 10001" : ""}; logs in ${work}`);

  const gw = `http://127.0.0.1:${port.gateway}`;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let ready: unknown;
  for (let i = 0; i < 90 && !ready; i++) {
    for (const { svc, child } of procs)
      if (child.exitCode !== null) throw new Error(`${svc} exited during start`);
    try {
      const r = await fetch(`${gw}/readyz`);
      if (r.status === 200) ready = await r.json();
    } catch {
      // not listening yet
    }
    if (!ready) await sleep(1000);
  }
  if (!ready) throw new Error("the gateway never became ready");
  say(`gateway ready: ${JSON.stringify(ready)}`);

  const post = async (path: string, body: unknown, token: string) => {
    const r = await fetch(gw + path, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await r.json()) as Obj;
    if (r.status >= 300) throw new Error(`POST ${path} → ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const adminToken = devEnv(objs, "gateway").CHORUS_ADMIN_TOKEN as string;
  const org = await post("/v1/admin/orgs", { name: "Smoke Test Pantry" }, adminToken);
  await post(`/v1/admin/orgs/${org.id}/numbers`, { number: "+14155552671" }, adminToken);
  const key = await post(
    `/v1/admin/orgs/${org.id}/api-keys`,
    { name: "smoke", scopes: ["messages:write", "messages:read"] },
    adminToken,
  );
  const msg = await post(
    "/v1/messages",
    { to: "(212) 456-7890", text: "Pantry opens at 9 tomorrow." },
    key.key,
  );
  let status = "";
  for (let i = 0; i < 60 && !["delivered", "failed", "blocked"].includes(status); i++) {
    await sleep(500);
    const r = await fetch(`${gw}/v1/messages/${msg.id}`, { headers: { authorization: `Bearer ${key.key}` } });
    status = ((await r.json()) as Obj).status;
  }
  const outbox = (await (
    await fetch(`http://127.0.0.1:${port.sim}/sim/outbox?to=%2B12124567890`)
  ).json()) as Obj;
  const received = outbox.items?.some((m: Obj) => m.text === "Pantry opens at 9 tomorrow.");
  say(`message ${msg.id}: ${status}; handset received it: ${received}`);
  if (status !== "delivered" || !received) throw new Error("the message was not delivered");
} catch (err) {
  failed = true;
  console.error(`[smoke] FAILED: ${err instanceof Error ? err.message : err}`);
} finally {
  for (const { svc, child } of [...procs].reverse()) {
    if (child.exitCode !== null) {
      say(`${svc} had already exited (${child.exitCode})`);
      failed = true;
      continue;
    }
    const t0 = Date.now();
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 35_000); // the pods' grace period
    await exited;
    clearTimeout(killer);
    const ok = child.exitCode === 0;
    if (!ok) failed = true;
    say(`${svc}: SIGTERM → exit ${child.exitCode ?? child.signalCode} in ${Date.now() - t0} ms`);
  }
  for (const s of [...infra].reverse()) await s.stop();
  if (!failed) rmSync(work, { recursive: true, force: true });
  say(failed ? `failed (logs kept in ${work})` : "passed");
  process.exit(failed ? 1 : 0);
}
