#!/usr/bin/env node
// Bundles each service into services/<name>/dist/main.js for `node dist/main.js` (and for the
// container image built by the root Dockerfile).
//
//   node deploy/build.mjs                 every service that has src/main.ts
//   node deploy/build.mjs gateway consent only these
//
// Why not the services' own `esbuild ... --packages=external`: that marks EVERY bare import
// external, @chorus/* included, and the workspace libs export TypeScript source (no build step),
// so the bundle would `import "@chorus/chassis/config"` at run time and Node would load a .ts
// file. Here @chorus/* is bundled and every other package stays external (installed in the image
// with `npm ci --omit=dev -w @chorus/<name>`, exact versions from package-lock.json).
//
// The bundle keeps the repository layout on purpose: libs/protos finds the .proto tree at
// `<dir of its module>/../../../protos`. Bundled, "its module" is services/<name>/dist/main.js,
// which is also three levels below the root, so `protos/` must sit at the root beside
// `services/` (in the repo and in the image). The check below fails the build if that stops
// holding.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** esbuild plugin: bundle relative imports and @chorus/*, leave every other package external. */
const externalPackages = {
  name: "external-packages-except-chorus",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("@chorus/")) return undefined; // bundled (resolved via workspaces)
      return { path: args.path, external: true };
    });
  },
};

/** The bare package name of an import specifier: "@a/b/c" → "@a/b", "x/y" → "x". */
function packageName(spec) {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Workspace package name → directory. */
function workspaces() {
  const map = new Map();
  for (const group of ["libs", "services"]) {
    for (const dir of readdirSync(join(root, group))) {
      const pj = join(root, group, dir, "package.json");
      if (existsSync(pj)) map.set(readJson(pj).name, join(root, group, dir));
    }
  }
  return map;
}

/** Every non-workspace dependency a service declares, directly or through the @chorus libs it uses. */
function declaredDependencies(serviceDir, ws) {
  const declared = new Set();
  const seen = new Set();
  const visit = (dir) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const deps = readJson(join(dir, "package.json")).dependencies ?? {};
    for (const name of Object.keys(deps)) {
      if (ws.has(name)) visit(ws.get(name));
      else declared.add(name);
    }
  };
  visit(serviceDir);
  return declared;
}

async function buildService(name, ws) {
  const dir = join(root, "services", name);
  const outfile = join(dir, "dist", "main.js");
  const result = await build({
    entryPoints: [join(dir, "src", "main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    plugins: [externalPackages],
    // Bundled CommonJS code (none today, but a @chorus lib may pull some in) needs `require`.
    banner: {
      js: 'import { createRequire as __chorusCreateRequire } from "node:module";\nconst require = __chorusCreateRequire(import.meta.url);',
    },
  });

  // The bundle is ESM; say so beside it, so it runs as ESM wherever dist/ is copied (the image
  // copies dist/ without the service's package.json).
  writeFileSync(join(dir, "dist", "package.json"), `${JSON.stringify({ type: "module" })}\n`);

  const inputs = Object.keys(result.metafile.inputs);
  const chorusImportsLeft = [];
  const externals = new Set();
  for (const out of Object.values(result.metafile.outputs)) {
    for (const imp of out.imports ?? []) {
      if (!imp.external || builtins.has(imp.path)) continue;
      if (imp.path.startsWith("@chorus/")) chorusImportsLeft.push(imp.path);
      else externals.add(packageName(imp.path));
    }
  }
  if (chorusImportsLeft.length > 0) {
    throw new Error(`${name}: @chorus imports left unbundled: ${chorusImportsLeft.join(", ")}`);
  }
  if (inputs.some((i) => i.endsWith("libs/protos/src/options.ts"))) {
    const protoRoot = resolve(dirname(outfile), "../../../protos");
    if (!existsSync(join(protoRoot, "chorus"))) {
      throw new Error(`${name}: the bundle looks for .proto files in ${protoRoot}, which has none`);
    }
  }
  const declared = declaredDependencies(dir, ws);
  const undeclared = [...externals].filter((p) => !declared.has(p)).sort();
  return { name, outfile, externals: [...externals].sort(), undeclared };
}

const ws = workspaces();
const all = readdirSync(join(root, "services"))
  .filter((d) => existsSync(join(root, "services", d, "src", "main.ts")))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown service(s): ${unknown.join(", ")} (services with src/main.ts: ${all.join(", ")})`);
  process.exit(2);
}

let failed = false;
for (const name of wanted.length > 0 ? wanted : all) {
  try {
    const r = await buildService(name, ws);
    console.log(`built ${name} → ${r.outfile.slice(root.length + 1)} (external: ${r.externals.join(", ")})`);
    if (r.undeclared.length > 0) {
      // They resolve today because npm hoists transitive dependencies, but nothing guarantees it.
      console.warn(
        `  warning: ${name} imports packages no package.json in its closure declares: ${r.undeclared.join(", ")}`,
      );
    }
  } catch (err) {
    failed = true;
    console.error(`build of ${name} failed: ${err instanceof Error ? err.message : err}`);
  }
}
process.exit(failed ? 1 : 0);
