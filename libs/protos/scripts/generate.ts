// Generates TypeScript types for every proto with proto-loader-gen-types into
// libs/protos/src/generated (committed). `--check` generates into a temp dir and fails if the
// committed files differ, so a proto change without regeneration fails `npm test`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { PROTO_FILES, PROTO_LOADER_OPTIONS, PROTO_ROOT } from "../src/options.js";

const outDir = resolve(import.meta.dirname, "../src/generated");
const check = process.argv.includes("--check");

/** Generator flags derived from the runtime options, so the two cannot drift apart. */
function flagsFromOptions(): string[] {
  const o = PROTO_LOADER_OPTIONS;
  const flags: string[] = [];
  if (o.keepCase) flags.push("--keepCase");
  if (o.longs === String) flags.push("--longs=String");
  if (o.enums === String) flags.push("--enums=String");
  if (o.defaults) flags.push("--defaults");
  if (o.oneofs) flags.push("--oneofs");
  // Relative to PROTO_ROOT (the generator runs there): generated files name their proto by path,
  // and an absolute path would differ between clones.
  for (const dir of o.includeDirs) flags.push(`-I=${relative(PROTO_ROOT, dir) || "."}`);
  return flags;
}

function generate(into: string): void {
  const bin = resolve(import.meta.dirname, "../../../node_modules/.bin/proto-loader-gen-types");
  const args = [
    ...flagsFromOptions(),
    "--grpcLib=@grpc/grpc-js",
    "--importFileExtension=.js",
    `--outDir=${into}`,
    ...Object.values(PROTO_FILES),
  ];
  const res = spawnSync(bin, args, { cwd: PROTO_ROOT, encoding: "utf8" });
  if (res.status !== 0) {
    process.stderr.write(res.stderr || res.stdout);
    process.exit(1);
  }
  // Formatting/lint of generated code is not ours to own: biome ignores this folder.
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

if (check) {
  const tmp = mkdtempSync(join(tmpdir(), "chorus-protos-"));
  try {
    generate(tmp);
    const want = listFiles(tmp);
    let have: string[] = [];
    try {
      have = listFiles(outDir);
    } catch {
      // missing folder: every file differs
    }
    const differing = [...new Set([...want, ...have])].filter((f) => {
      try {
        return readFileSync(join(tmp, f), "utf8") !== readFileSync(join(outDir, f), "utf8");
      } catch {
        return true;
      }
    });
    if (differing.length) {
      console.error(
        `generated gRPC types are stale; run \`npm run gen:protos\` and commit. Differing files:`,
      );
      for (const f of differing) console.error(`  libs/protos/src/generated/${f}`);
      process.exit(1);
    }
    console.log(`generated gRPC types are up to date (${want.length} files)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  rmSync(outDir, { recursive: true, force: true });
  generate(outDir);
  console.log(`generated ${listFiles(outDir).length} files into ${relative(process.cwd(), outDir)}`);
}
