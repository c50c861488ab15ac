// `npm start`: the whole platform on 127.0.0.1 — nats-server and FerretDB (unless NATS_URL /
// MONGO_URL point elsewhere), carrier-sim, and every Chorus service that exists — then prints
// where each listens. Ctrl-C stops the services in reverse order, then the infrastructure.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { dataRoot, type RunningServer, repoRoot, startFerretDb, startNats } from "@chorus/infra";

const env = process.env;
const port = (name: string, fallback: number) => Number(env[name] ?? fallback);

const ports = {
  nats: port("CHORUS_NATS_PORT", 4222),
  mongo: port("CHORUS_MONGO_PORT", 27017),
  carrierSim: port("CARRIER_SIM_PORT", 8090),
  consent: port("CONSENT_GRPC_PORT", 50051),
  dispatch: port("DISPATCH_GRPC_PORT", 50052),
  gateway: port("GATEWAY_PORT", 8080),
};

const DEV_ADMIN_TOKEN = "chorus-dev-admin-token-change-me";
const adminToken = env.CHORUS_ADMIN_TOKEN ?? DEV_ADMIN_TOKEN;
// Bandwidth credentials shared by carrier-sim and the services that talk to it (dev only).
const bandwidth = {
  accountId: env.BANDWIDTH_ACCOUNT_ID ?? "9900000",
  applicationId: env.BANDWIDTH_APPLICATION_ID ?? "chorus-dev-app",
  username: env.BANDWIDTH_USERNAME ?? "sim",
  password: env.BANDWIDTH_PASSWORD ?? "sim",
  callbackUsername: env.BANDWIDTH_CALLBACK_USERNAME ?? "bandwidth",
  callbackPassword: env.BANDWIDTH_CALLBACK_PASSWORD ?? "callback-dev-password",
};

const say = (line: string) => console.log(`[chorus] ${line}`);

interface ServiceSpec {
  name: string;
  port: number;
  url: string;
  env: Record<string, string>;
}

function serviceSpecs(natsUrl: string, mongoUrl: string): ServiceSpec[] {
  const common = { NATS_URL: natsUrl, MONGO_URL: mongoUrl, LOG_LEVEL: env.LOG_LEVEL ?? "info" };
  const consentAddr = `127.0.0.1:${ports.consent}`;
  const dispatchAddr = `127.0.0.1:${ports.dispatch}`;
  return [
    {
      name: "carrier-sim",
      port: ports.carrierSim,
      url: `http://127.0.0.1:${ports.carrierSim}`,
      env: {
        ...common,
        CARRIER_SIM_PORT: String(ports.carrierSim),
        CARRIER_SIM_ACCOUNT_ID: bandwidth.accountId,
        CARRIER_SIM_USERNAME: bandwidth.username,
        CARRIER_SIM_PASSWORD: bandwidth.password,
        CARRIER_SIM_CALLBACK_URL: `http://127.0.0.1:${ports.gateway}/v1/carrier/bandwidth/callbacks`,
        CARRIER_SIM_CALLBACK_USERNAME: bandwidth.callbackUsername,
        CARRIER_SIM_CALLBACK_PASSWORD: bandwidth.callbackPassword,
      },
    },
    {
      name: "consent",
      port: ports.consent,
      url: `grpc://${consentAddr}`,
      env: {
        ...common,
        CONSENT_GRPC_PORT: String(ports.consent),
      },
    },
    {
      name: "dispatch",
      port: ports.dispatch,
      url: `grpc://${dispatchAddr}`,
      env: {
        ...common,
        DISPATCH_GRPC_PORT: String(ports.dispatch),
        // FerretDB/SQLite has one writer: 64 workers (the service default, sized for MongoDB) starve
        // the accept path under load (k6 at 50 req/s: 40 % deadline errors); 8 keep it answering.
        WORKER_CONCURRENCY: env.WORKER_CONCURRENCY ?? "8",
        CONSENT_ADDR: consentAddr,
        BANDWIDTH_BASE_URL: `http://127.0.0.1:${ports.carrierSim}/api/v2`,
        BANDWIDTH_ACCOUNT_ID: bandwidth.accountId,
        BANDWIDTH_APPLICATION_ID: bandwidth.applicationId,
        BANDWIDTH_USERNAME: bandwidth.username,
        BANDWIDTH_PASSWORD: bandwidth.password,
      },
    },
    {
      name: "gateway",
      port: ports.gateway,
      url: `http://127.0.0.1:${ports.gateway}`,
      env: {
        ...common,
        GATEWAY_PORT: String(ports.gateway),
        CONSENT_ADDR: consentAddr,
        DISPATCH_ADDR: dispatchAddr,
        CHORUS_ADMIN_TOKEN: adminToken,
        BANDWIDTH_CALLBACK_USERNAME: bandwidth.callbackUsername,
        BANDWIDTH_CALLBACK_PASSWORD: bandwidth.callbackPassword,
      },
    },
  ].filter((s) => existsSync(join(repoRoot, "services", s.name, "src", "main.ts")));
}

async function waitForPort(p: number, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} during start`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = createConnection({ host: "127.0.0.1", port: p }, () => {
        sock.destroy();
        resolve(true);
      });
      sock.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not listen on 127.0.0.1:${p} within 60 s`);
}

const infra: RunningServer[] = [];
const children: Array<{ name: string; child: ChildProcess }> = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  say("stopping…");
  for (const { name, child } of [...children].reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => {
        say(`${name} did not stop in 25 s; killing it`);
        child.kill("SIGKILL");
      }, 25_000);
      await new Promise((r) => child.once("exit", r));
      clearTimeout(killer);
    }
  }
  for (const s of [...infra].reverse()) await s.stop();
  say("stopped");
  process.exit(code);
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  // Kept between runs (messages, consent ledger); CHORUS_DATA_DIR moves it (the e2e test does).
  const devData = env.CHORUS_DATA_DIR ?? join(dataRoot, "dev");
  mkdirSync(devData, { recursive: true });
  let natsUrl = env.NATS_URL;
  let mongoUrl = env.MONGO_URL;
  if (!natsUrl) {
    say("starting nats-server (JetStream)…");
    const nats = await startNats({ port: ports.nats, dataDir: join(devData, "nats"), detached: true });
    infra.push(nats);
    natsUrl = nats.url;
  }
  if (!mongoUrl) {
    say("starting FerretDB (SQLite backend)…");
    const mongo = await startFerretDb({
      port: ports.mongo,
      dataDir: join(devData, "ferretdb"),
      detached: true,
    });
    infra.push(mongo);
    mongoUrl = mongo.url;
  }

  const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
  const specs = serviceSpecs(natsUrl, mongoUrl);
  for (const spec of specs) {
    say(`starting ${spec.name}…`);
    const child = spawn(tsx, [join(repoRoot, "services", spec.name, "src", "main.ts")], {
      cwd: repoRoot,
      env: { ...env, ...spec.env },
      stdio: "inherit",
    });
    children.push({ name: spec.name, child });
    child.on("exit", (code, signal) => {
      if (stopping) return;
      say(`${spec.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void stopAll(1);
    });
    await waitForPort(spec.port, child, spec.name);
  }

  const rows: Array<[string, string]> = [
    ["nats", natsUrl],
    ["mongodb (FerretDB)", mongoUrl],
    ...specs.map((s): [string, string] => [s.name, s.url]),
  ];
  if (specs.some((s) => s.name === "gateway")) {
    rows.push(["API docs", `http://127.0.0.1:${ports.gateway}/docs`]);
  }
  console.log("\nChorus is running:");
  for (const [name, url] of rows) console.log(`  ${name.padEnd(20)} ${url}`);
  if (!env.CHORUS_ADMIN_TOKEN) {
    console.log(
      `\n  CHORUS_ADMIN_TOKEN is unset: using the dev default "${DEV_ADMIN_TOKEN}". Set it for anything real.`,
    );
  }
  console.log("\nCtrl-C stops everything.\n");
} catch (err) {
  say(`start failed: ${(err as Error).message}`);
  await stopAll(1);
}
