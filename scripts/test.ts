// `npm test`: everything CI checks, in order, on real infrastructure.
//   1. infrastructure binaries (built with `go install` on first run)
//   2. generated gRPC types are up to date
//   3. typecheck (tsc), lint and format (biome)
//   4. unit + integration tests (vitest; real nats-server and FerretDB per worker slot)
//   5. the k6 scenarios in loadtests/ parse (`k6 inspect`)
// Pass `--only=tests` to run just vitest, and any further arguments go to vitest (a file filter).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { dataRoot, ensureTool, repoRoot } from "@chorus/infra";

const argv = process.argv.slice(2);
const only = argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const vitestArgs = argv.filter((a) => !a.startsWith("--only="));
const bin = (name: string) => join(repoRoot, "node_modules", ".bin", name);

interface Step {
  name: string;
  run: () => boolean;
}

function sh(cmd: string, args: string[]): boolean {
  const res = spawnSync(cmd, args, { cwd: repoRoot, stdio: "inherit", env: process.env });
  return res.status === 0;
}

/** Runs a command, printing its output only when it fails (k6 inspect prints a page of JSON). */
function quiet(cmd: string, args: string[], label: string): boolean {
  const res = spawnSync(cmd, args, { cwd: repoRoot, encoding: "utf8", env: process.env });
  if (res.status === 0) {
    console.log(`ok   ${label}`);
    return true;
  }
  process.stdout.write(`${res.stdout}${res.stderr}`);
  console.log(`FAIL ${label}`);
  return false;
}

let counts = { passed: 0, failed: 0, skipped: 0 };
const vitestReport = join(dataRoot, "vitest-report.json");

const steps: Step[] = [
  { name: "protos are generated", run: () => sh(bin("tsx"), ["libs/protos/scripts/generate.ts", "--check"]) },
  { name: "typecheck", run: () => sh(bin("tsc"), ["-p", "tsconfig.json", "--noEmit"]) },
  { name: "lint and format", run: () => sh(bin("biome"), ["ci", "."]) },
  {
    name: "unit and integration tests",
    run: () => {
      mkdirSync(dataRoot, { recursive: true });
      const ok = sh(bin("vitest"), [
        "run",
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${vitestReport}`,
        ...vitestArgs,
      ]);
      try {
        const report = JSON.parse(readFileSync(vitestReport, "utf8")) as {
          numPassedTests: number;
          numFailedTests: number;
          numPendingTests: number;
          numTodoTests: number;
        };
        counts = {
          passed: report.numPassedTests,
          failed: report.numFailedTests,
          skipped: report.numPendingTests + report.numTodoTests,
        };
      } catch {
        // No report: vitest failed before running tests; the step's exit status says so.
      }
      return ok && counts.passed > 0;
    },
  },
  {
    name: "k6 scenarios parse",
    run: () => {
      const dir = join(repoRoot, "loadtests");
      // Scenarios are the files that import k6; others (setup helpers) run under Node.
      const files = readdirSync(dir)
        .filter((f) => f.endsWith(".ts") || f.endsWith(".js"))
        .filter((f) => /from\s+["']k6/.test(readFileSync(join(dir, f), "utf8")));
      if (!files.length) return false;
      return files.every((f) => quiet(k6, ["inspect", join(dir, f)], `k6 inspect loadtests/${f}`));
    },
  },
];

let k6 = "k6";
const t0 = Date.now();
console.log("[test] making sure nats-server, FerretDB and k6 are available…");
await ensureTool("nats-server");
await ensureTool("ferretdb");
k6 = await ensureTool("k6");

const selected = only === "tests" ? steps.filter((s) => s.name.includes("tests")) : steps;
const failedSteps: string[] = [];
for (const step of selected) {
  console.log(`\n[test] ── ${step.name} ──`);
  if (!step.run()) failedSteps.push(step.name);
}

console.log(`\n[test] finished in ${Math.round((Date.now() - t0) / 1000)} s`);
for (const step of selected)
  console.log(`[test]   ${failedSteps.includes(step.name) ? "FAIL" : "ok  "} ${step.name}`);
// The plain closing line CI reads: "N passed, N failed[, N skipped]".
const skipped = counts.skipped ? `, ${counts.skipped} skipped` : "";
// A failed step counts as one failure, except the test step when its failed tests are counted.
const stepFailures = failedSteps.filter((n) => !(n === "unit and integration tests" && counts.failed > 0));
console.log(`tests: ${counts.passed} passed, ${counts.failed + stepFailures.length} failed${skipped}`);
process.exit(failedSteps.length ? 1 : 0);
