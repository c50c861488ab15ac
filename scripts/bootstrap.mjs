#!/usr/bin/env node
// Entry point of `npm start`, `npm test` and `npm run infra`. Plain Node with no dependencies, so it
// runs on a fresh clone: it installs npm packages when they are missing or stale, then hands over
// to the TypeScript script of the same name (run with tsx) for everything else.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [command = "test", ...args] = process.argv.slice(2);
const scripts = { start: "start.ts", test: "test.ts", infra: "infra.ts" };
if (!(command in scripts)) {
  console.error(`usage: bootstrap.mjs ${Object.keys(scripts).join("|")} [args]`);
  process.exit(2);
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

// npm writes node_modules/.package-lock.json on every install: older than package-lock.json (or
// absent) means the tree does not match the lock file.
const installed = mtime(join(root, "node_modules", ".package-lock.json"));
const wanted = Math.max(mtime(join(root, "package-lock.json")), mtime(join(root, "package.json")));
if (!installed || installed < wanted) {
  const ci = existsSync(join(root, "package-lock.json"));
  console.log(`[bootstrap] installing npm packages (${ci ? "npm ci" : "npm install"})…`);
  const res = spawnSync("npm", [ci ? "ci" : "install", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: "inherit",
  });
  if (res.status !== 0) {
    console.error("[bootstrap] npm install failed");
    process.exit(res.status ?? 1);
  }
}

const tsx = join(root, "node_modules", ".bin", "tsx");
const child = spawn(tsx, [join(root, "scripts", scripts[command]), ...args], { cwd: root, stdio: "inherit" });
// Ctrl-C reaches the whole foreground process group; the child shuts down and we follow it.
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
