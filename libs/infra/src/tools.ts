import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The repository root (libs/infra/src → ../../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** Git-ignored folder for binaries we build. */
export const toolsDir = join(repoRoot, ".tools");
export const toolsBin = join(toolsDir, "bin");

export type ToolName = "nats-server" | "ferretdb" | "k6" | "ghz";

interface ToolSpec {
  module: string;
  /** Package path to build, within the module. */
  pkg: string;
  version: string;
  /** Arguments that make the binary print its version, and a fragment that output must contain. */
  versionArgs: string[];
  expect: string;
  /** Rough first-build time, printed so a first run does not look hung. */
  firstBuild: string;
  /** Identifies local source edits on top of `version`, if any. */
  buildTag?: string;
}

/**
 * Edits applied to FerretDB v1.24.2's source before building it. A replacement must match exactly
 * once (a version bump that changes the code fails loudly instead of building something
 * unpatched); an added file is copied from libs/infra/ferretdb/. Upstream v1 is no longer
 * developed (v2 moved to PostgreSQL/DocumentDB), so we carry these:
 *
 * 1. Primary-key lookups use the `_id` index. The SQLite backend creates that index on
 *    `_ferretdb_sjson->"_id"` but queries `_ferretdb_sjson->'$._id'`; both yield the same value,
 *    but SQLite only uses an expression index for the identical expression, so every lookup,
 *    update and delete by `_id` scanned the whole table. Measured on 100,000 documents here:
 *    findOne by _id 72.8 ms → 1.3 ms, updateOne by _id 170 ms → 1.4 ms; unique violations still
 *    raise E11000.
 * 2. The `_id` condition of any filter is pushed down (chorus_pushdown.go): upstream pushes down
 *    only a filter that is exactly `{_id: v}`, so `{_id, orgId}` or `{_id, status}` scanned the
 *    table (34 ms → 2 ms at 20,000 documents), and `_id: {$in: […]}` becomes `IN (…)`.
 * 3. Commands that read and then write (update, findAndModify, delete) are serialized per
 *    collection (chorus_locks.go). Upstream applies a conditional update as read, then write: 20
 *    concurrent `findOneAndUpdate({_id, status: "a"}, …)` had 2 winners in 3 rounds of 10 here;
 *    with the lock exactly one, as on MongoDB. SQLite has a single writer anyway.
 * 4. An `update` command closes each statement's query when that statement is done. Upstream
 *    deferred every close to the end of the command, so each statement held its SQLite read open
 *    and a `bulkWrite` of 100 `updateOne`s hung the connection for good (50 took 52 ms), the
 *    pool's connections all held by the command's own open queries.
 */
const FERRETDB_PATCHES: Array<{ file: string; from: string; to: string } | { file: string; add: string }> = [
  {
    file: "internal/backends/sqlite/metadata/metadata.go",
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + `->"_id"`',
  },
  { file: "internal/backends/sqlite/chorus_pushdown.go", add: "chorus_pushdown.go" },
  ...["", "filterPushdown = true\n\t\t\t"].map((extra) => ({
    file: "internal/backends/sqlite/collection.go",
    from: `\tif params.Filter.Len() == 1 {
\t\tv, _ := params.Filter.Get("_id")
\t\tswitch v.(type) {
\t\tcase string, types.ObjectID:
\t\t\t${extra}whereClause = fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn)
\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
\t\t}
\t}`,
    to: extra
      ? '\twhereClause, args = chorusIDPushdown(params.Filter)\n\tfilterPushdown = whereClause != ""'
      : "\twhereClause, args = chorusIDPushdown(params.Filter)",
  })),
  { file: "internal/handler/chorus_locks.go", add: "chorus_locks.go" },
  {
    file: "internal/handler/msg_update.go",
    from: "\tvar matched, modified int32\n",
    to: "\tdefer chorusLock(params.DB, params.Collection)()\n\n\tvar matched, modified int32\n",
  },
  {
    file: "internal/handler/msg_update.go",
    from: `\t\tcloser := iterator.NewMultiCloser()
\t\tdefer closer.Close()
`,
    // Nothing between here and the close below can return early.
    to: `\t\tcloser := iterator.NewMultiCloser()
`,
  },
  {
    file: "internal/handler/msg_update.go",
    from: `\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)
\t\tif err != nil {`,
    to: `\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)
\t\tcloser.Close() // this statement's query, now: the next statement needs a connection
\t\tif err != nil {`,
  },
  {
    file: "internal/handler/msg_findandmodify.go",
    from: "params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n",
    to: "params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n\tdefer chorusLock(params.DB, params.Collection)()\n\n",
  },
  {
    file: "internal/handler/msg_delete.go",
    from: "\t\td, err = h.execDelete(connCtx, c, &p)\n",
    to: "\t\tunlock := chorusLock(params.DB, params.Collection)\n\t\td, err = h.execDelete(connCtx, c, &p)\n\t\tunlock()\n",
  },
];

/** Added Go files live here; they and the list above make the build tag (a change rebuilds). */
const ferretPatchDir = join(repoRoot, "libs", "infra", "ferretdb");

function ferretPatchTag(): string {
  const h = createHash("sha256").update(JSON.stringify(FERRETDB_PATCHES));
  for (const p of FERRETDB_PATCHES) if ("add" in p) h.update(readFileSync(join(ferretPatchDir, p.add)));
  return `chorus.${h.digest("hex").slice(0, 10)}`;
}

/** Pinned infrastructure versions. Bump here and nowhere else. */
export const TOOLS: Record<ToolName, ToolSpec> = {
  "nats-server": {
    module: "github.com/nats-io/nats-server/v2",
    pkg: "github.com/nats-io/nats-server/v2",
    version: "v2.12.15",
    versionArgs: ["--version"],
    expect: "v2.12",
    firstBuild: "about a minute",
  },
  ferretdb: {
    module: "github.com/FerretDB/FerretDB",
    pkg: "github.com/FerretDB/FerretDB/cmd/ferretdb",
    version: "v1.24.2",
    // Our source edits (FERRETDB_PATCHES) are part of what we build: a new patch set rebuilds.
    buildTag: ferretPatchTag(),
    versionArgs: ["--version"],
    expect: "v1.24",
    firstBuild: "several minutes (it compiles a pure-Go SQLite)",
  },
  k6: {
    module: "go.k6.io/k6",
    pkg: "go.k6.io/k6",
    version: "v1.8.1",
    versionArgs: ["version"],
    expect: "v1.",
    firstBuild: "a few minutes",
  },
  // A gRPC load generator, for services/consent/bench (not needed by `npm start` or `npm test`).
  ghz: {
    module: "github.com/bojand/ghz",
    pkg: "github.com/bojand/ghz/cmd/ghz",
    version: "v0.93.0",
    versionArgs: ["--version"],
    // Built with `go install` (no release ldflags), it reports "dev"; a release binary on PATH
    // reports its own version and is not used.
    expect: "dev",
    firstBuild: "about a minute",
  },
};

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stderr.write(`[infra] ${line}\n`);

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    return statSync(path).isFile() && (statSync(path).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

async function versionMatches(bin: string, spec: ToolSpec): Promise<boolean> {
  try {
    const { stdout, stderr } = await run(bin, spec.versionArgs, { timeout: 15_000 });
    return `${stdout}${stderr}`.includes(spec.expect);
  } catch {
    return false;
  }
}

/** Go may be missing from PATH (CI's shell, for one): look where Go installs itself too. */
export function findGo(): string {
  const candidates = [
    onPath("go"),
    process.env.GOROOT ? join(process.env.GOROOT, "bin", "go") : undefined,
    "/usr/local/go/bin/go",
    "/usr/lib/go/bin/go",
    join(homedir(), "go", "bin", "go"),
    join(homedir(), "sdk", "go", "bin", "go"),
  ];
  for (const c of candidates) if (c && isExecutable(c)) return c;
  throw new Error(
    "Go was not found (looked on PATH, $GOROOT/bin, /usr/local/go/bin, /usr/lib/go/bin). " +
      "Chorus builds nats-server, FerretDB and k6 with `go install` when they are not on PATH. " +
      "Install Go 1.24+ (https://go.dev/doc/install), or put the three binaries on PATH, " +
      "or point NATS_URL / MONGO_URL at running servers.",
  );
}

/**
 * Returns a usable binary for `name`: the one on PATH if it is the pinned major version, else the one
 * we built before, else builds it now with `go install` into `.tools/bin`.
 */
export async function ensureTool(name: ToolName, log: Log = defaultLog): Promise<string> {
  const spec = TOOLS[name];
  // A binary on PATH is fine unless we carry source edits it cannot have.
  const fromPath = spec.buildTag ? undefined : onPath(name);
  if (fromPath && (await versionMatches(fromPath, spec))) return fromPath;

  const built = join(toolsBin, name);
  const stamp = join(toolsDir, `${name}.version`);
  const wanted = spec.buildTag ? `${spec.version}+${spec.buildTag}` : spec.version;
  if (isExecutable(built) && readIfExists(stamp) === wanted) return built;

  await withBuildLock(name, log, async () => {
    // Another process may have finished the build while we waited for the lock.
    if (isExecutable(built) && readIfExists(stamp) === wanted) return;
    log(`building ${name} ${wanted} with go (first run only: ${spec.firstBuild})…`);
    const started = Date.now();
    const ticker = setInterval(
      () => log(`  …still building ${name} (${Math.round((Date.now() - started) / 1000)} s)`),
      15_000,
    );
    try {
      if (name === "ferretdb") await buildFerretDb(spec, built);
      else await goRun(["install", `${spec.pkg}@${spec.version}`], { GOBIN: toolsBin });
    } finally {
      clearInterval(ticker);
    }
    if (!(await versionMatches(built, spec)))
      throw new Error(`${name} was built but does not report ${spec.expect}`);
    writeFileSync(stamp, wanted);
    log(`built ${name} ${wanted} in ${Math.round((Date.now() - started) / 1000)} s → ${built}`);
  });
  return built;
}

/**
 * FerretDB embeds build/version/version.txt, which only its own release tooling writes; a plain
 * `go install …@v1.24.2` binary panics at start for want of it. So: take the pinned module from the
 * Go module proxy (`go mod download`, checksummed as `go install` would), add version.txt, and build.
 */
async function buildFerretDb(spec: ToolSpec, out: string): Promise<void> {
  const { stdout } = await goRun(["mod", "download", "-json", `${spec.module}@${spec.version}`], {});
  const dir = (JSON.parse(stdout) as { Dir: string }).Dir;
  const src = join(toolsDir, "src", `ferretdb-${spec.version}`);
  rmSync(src, { recursive: true, force: true });
  cpSync(dir, src, { recursive: true });
  await run("chmod", ["-R", "u+w", src]);
  writeFileSync(join(src, "build", "version", "version.txt"), `${spec.version}\n`);
  for (const p of FERRETDB_PATCHES) {
    const path = join(src, p.file);
    if ("add" in p) {
      cpSync(join(ferretPatchDir, p.add), path);
      continue;
    }
    const code = readFileSync(path, "utf8");
    if (code.split(p.from).length !== 2)
      throw new Error(`FerretDB patch no longer applies to ${p.file}: ${p.from}`);
    writeFileSync(path, code.replace(p.from, p.to));
  }
  await goRun(["build", "-o", out, "./cmd/ferretdb"], {}, src);
}

async function goRun(
  args: string[],
  env: Record<string, string>,
  cwd = repoRoot,
): Promise<{ stdout: string }> {
  const go = findGo();
  mkdirSync(toolsBin, { recursive: true });
  return await new Promise((resolvePromise, reject) => {
    const child = spawn(go, args, {
      cwd,
      env: { ...process.env, ...env, GOTOOLCHAIN: "local" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolvePromise({ stdout });
      else reject(new Error(`go ${args.join(" ")} failed (exit ${code}):\n${stderr.slice(-4000)}`));
    });
  });
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** A directory lock, so parallel test workers or two terminals never build the same tool at once. */
async function withBuildLock(name: string, log: Log, fn: () => Promise<void>): Promise<void> {
  mkdirSync(toolsDir, { recursive: true });
  const lock = join(toolsDir, `${name}.lock`);
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch {
      const owner = Number(readIfExists(join(lock, "pid")));
      if (owner && !processAlive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!announced) log(`waiting for another process building ${name}…`);
      announced = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function toolExists(path: string): boolean {
  return existsSync(path);
}
