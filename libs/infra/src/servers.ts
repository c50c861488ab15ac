import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { join } from "node:path";
import { ensureTool, repoRoot } from "./tools.js";

/** A real server process we started, on 127.0.0.1. */
export interface RunningServer {
  name: string;
  url: string;
  port: number;
  pid: number | undefined;
  dataDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Data directory; default is a fresh folder under `.data/`. */
  dataDir?: string;
  /** Delete the data directory on stop (tests: yes; `npm start`: no). */
  ephemeral?: boolean;
  /**
   * Own process group: a terminal's Ctrl-C then reaches the services but not the infrastructure,
   * which the caller stops last, after the services have drained.
   */
  detached?: boolean;
  log?: (line: string) => void;
}

export const dataRoot = join(repoRoot, ".data");

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Children must not outlive us, whatever way we exit: SIGKILL them on process exit. (A clean stop
 * sends SIGTERM first and waits; this is the backstop for crashes and killed test workers.)
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of children) child.kill("SIGKILL");
  });
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function freshDataDir(name: string): string {
  const dir = join(dataRoot, `${name}-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function waitForPort(
  port: number,
  child: ChildProcess,
  name: string,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `${name} exited with code ${child.exitCode} before listening:\n${output().slice(-3000)}`,
      );
    }
    const ok = await new Promise<boolean>((resolve) => {
      const sock = createConnection({ host: "127.0.0.1", port }, () => {
        sock.destroy();
        resolve(true);
      });
      sock.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not listen on 127.0.0.1:${port} within 30 s:\n${output().slice(-3000)}`);
}

async function launch(
  name: string,
  bin: string,
  args: string[],
  port: number,
  url: string,
  dataDir: string,
  opts: StartOptions,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  installExitHook();
  const ephemeral = opts.ephemeral ?? false;
  const child = spawn(bin, args, {
    stdio: ["ignore", "pipe", "pipe"],
    cwd: dataDir,
    env: { ...process.env, ...env },
    detached: opts.detached ?? false,
  });
  children.add(child);
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  exited.then(() => children.delete(child));
  try {
    await waitForPort(port, child, name, () => output);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  return {
    name,
    url,
    port,
    pid: child.pid,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(killer);
      }
      if (ephemeral) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** nats-server with JetStream on, file store in the data dir. */
export async function startNats(opts: StartOptions = {}): Promise<RunningServer> {
  const bin = await ensureTool("nats-server", opts.log);
  const port = opts.port || (await freePort());
  const dataDir = opts.dataDir ?? freshDataDir("nats");
  mkdirSync(dataDir, { recursive: true });
  const conf = join(dataDir, "nats.conf");
  // Generated config rather than flags, so limits are explicit and reviewable.
  writeFileSync(
    conf,
    [
      `listen: 127.0.0.1:${port}`,
      `server_name: chorus-${port}`,
      "max_payload: 8MB",
      "jetstream {",
      `  store_dir: ${JSON.stringify(join(dataDir, "jetstream"))}`,
      "  max_memory_store: 1GB",
      "  max_file_store: 10GB",
      "}",
    ].join("\n"),
  );
  return await launch("nats-server", bin, ["-c", conf], port, `nats://127.0.0.1:${port}`, dataDir, opts);
}

/** FerretDB (MongoDB wire protocol) on its SQLite backend, telemetry off. */
export async function startFerretDb(opts: StartOptions = {}): Promise<RunningServer> {
  const bin = await ensureTool("ferretdb", opts.log);
  const port = opts.port || (await freePort());
  const dataDir = opts.dataDir ?? freshDataDir("ferretdb");
  mkdirSync(join(dataDir, "sqlite"), { recursive: true });
  const args = [
    "--handler=sqlite",
    // BEGIN IMMEDIATE takes the write lock up front, so a read-then-write transaction never fails
    // with "database is locked" on upgrade; synchronous(normal) in WAL mode skips the fsync per
    // commit (safe against a process crash, not a power cut — fine for local runs and tests,
    // production uses MongoDB). Together they doubled concurrent write throughput here.
    // wal_autocheckpoint: at SQLite's default (1,000 pages) a busy database crossed the threshold
    // constantly, and while queries held snapshots every commit retried a checkpoint that rescans
    // the whole WAL (a CPU profile: 36 % in checkpointing). At 100,000 pages (≈ 400 MB of WAL
    // before a checkpoint) 16 concurrent findOneAndUpdate went from 349/s to 2,149/s here.
    `--sqlite-url=file:${join(dataDir, "sqlite")}/?_txlock=immediate&_pragma=synchronous(normal)&_pragma=wal_autocheckpoint(100000)`,
    `--listen-addr=127.0.0.1:${port}`,
    "--telemetry=disable",
    // The debug listener defaults to a fixed port that collides between instances.
    "--debug-addr=-",
    `--state-dir=${dataDir}`,
    "--log-level=warn",
  ];
  // FerretDB decodes every document it reads from JSON text, so it allocates a lot and spent a
  // fifth of its CPU in the garbage collector (marking, and returning freed pages to the OS) at
  // Go's default GOGC=100. At 400 (heap up to 5× live, tens of MB here) a 20,000-document scan
  // took 2.3 s instead of 3.5 s and updateMany went from 3,100 to 4,600 documents/s; 1,000 gained
  // nothing more. An operator's own GOGC wins.
  const env = { GOGC: process.env["GOGC"] ?? "400" };
  return await launch("ferretdb", bin, args, port, `mongodb://127.0.0.1:${port}/`, dataDir, opts, env);
}
