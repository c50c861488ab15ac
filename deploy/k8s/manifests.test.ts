// What an operator applies is what this checks: every YAML file under deploy/k8s parses, every
// kustomization points at files that exist, every object is a valid Kubernetes object, and each
// rendered overlay (kubectl kustomize, offline) keeps the hardening and shutdown invariants
// deploy/README.md promises. A manifest that would be rejected by the API server, run a container
// as root, kill a pod mid-shutdown or configure a variable no service reads fails here, not in a
// cluster.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parseDocument } from "yaml";

const k8sDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(k8sDir, "../..");

/** The Chorus services every installation runs, with the port each serves on. */
const SERVICES = {
  gateway: { port: 8080, portName: "http" },
  consent: { port: 50051, portName: "grpc" },
  dispatch: { port: 50052, portName: "grpc" },
} as const;
type ServiceName = keyof typeof SERVICES;
const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
/** Default of SHUTDOWN_TIMEOUT_MS in libs/chassis/src/config.ts (commonConfig). */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 20_000;

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML until validated
type Obj = Record<string, any>;

interface Validatable {
  validate(): void;
}
const MODELS: Record<string, new (data: Obj) => Validatable> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
};

const typeOf = (o: Obj) => `${o.apiVersion}/${o.kind}`;
const label = (o: Obj) => `${o.kind} ${o.metadata?.name}`;

/** Validates one object against the Kubernetes schema (or, for the KEDA CRD, by hand). */
function validateObject(o: Obj): void {
  if (typeOf(o) === "keda.sh/v1alpha1/ScaledObject") {
    validateScaledObject(o);
    return;
  }
  const Model = MODELS[typeOf(o)];
  if (!Model) throw new Error(`${label(o)}: unexpected type ${typeOf(o)} (add it to MODELS if intended)`);
  new Model(o).validate();
}

/** KEDA's CRD is not in kubernetes-models: check the fields KEDA rejects a ScaledObject without. */
function validateScaledObject(o: Obj): void {
  expect(o.metadata?.name, "ScaledObject metadata.name").toEqual(expect.any(String));
  expect(o.spec?.scaleTargetRef?.name, "ScaledObject spec.scaleTargetRef.name").toEqual(expect.any(String));
  expect(Array.isArray(o.spec?.triggers) && o.spec.triggers.length > 0, "ScaledObject spec.triggers").toBe(
    true,
  );
  for (const t of o.spec.triggers as Obj[]) {
    expect(t.type, "trigger type").toEqual(expect.any(String));
    for (const v of Object.values(t.metadata ?? {}))
      expect(typeof v, "trigger metadata values are strings").toBe("string");
  }
  if (o.spec.minReplicaCount !== undefined && o.spec.maxReplicaCount !== undefined) {
    expect(o.spec.minReplicaCount).toBeLessThanOrEqual(o.spec.maxReplicaCount);
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name.startsWith(".") ? [] : yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function parseYamlFile(path: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(path, "utf8"));
  return docs.map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${relative(repoRoot, path)}: ${doc.errors[0]?.message}`);
    return doc.toJS() as Obj;
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering

function kustomizeBinary(): { cmd: string; args: string[] } {
  for (const [cmd, args] of [
    ["kubectl", ["kustomize"]],
    ["kustomize", ["build"]],
  ] as const) {
    try {
      execFileSync(cmd, cmd === "kubectl" ? ["version", "--client"] : ["version"], { stdio: "ignore" });
      return { cmd, args: [...args] };
    } catch {
      // try the next one
    }
  }
  throw new Error("rendering the overlays needs `kubectl` (kustomize built in) or `kustomize` on PATH");
}

function render(dir: string): Obj[] {
  const { cmd, args } = kustomizeBinary();
  const out = execFileSync(cmd, [...args, dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return parseAllDocuments(out).map((d) => d.toJS() as Obj);
}

/**
 * An overlay with components added the way an operator adds them (to the overlay's own
 * `components:`, so the overlay's namespace and other transformers apply to them too): a copy of
 * the overlay beside it, so its relative paths still resolve, removed afterwards.
 */
function renderWith(overlay: string, components: string[]): Obj[] {
  const source = join(k8sDir, overlay);
  const copy = mkdtempSync(join(dirname(source), ".render-"));
  try {
    cpSync(source, copy, { recursive: true });
    const file = join(copy, "kustomization.yaml");
    const doc = parseDocument(readFileSync(file, "utf8"));
    const existing = (doc.get("components") as { toJSON(): string[] } | undefined)?.toJSON() ?? [];
    doc.set("components", [...existing, ...components.map((c) => relative(copy, join(k8sDir, c)))]);
    writeFileSync(file, doc.toString());
    return render(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

const renders: Record<string, () => Obj[]> = {
  base: () => render(join(k8sDir, "base")),
  "overlays/dev": () => render(join(k8sDir, "overlays/dev")),
  "overlays/production": () => render(join(k8sDir, "overlays/production")),
  "overlays/production + components/keda": () => renderWith("overlays/production", ["components/keda"]),
};
const cache = new Map<string, Obj[]>();
function rendered(name: string): Obj[] {
  let objs = cache.get(name);
  if (!objs) {
    const fn = renders[name];
    if (!fn) throw new Error(`no render named ${name}`);
    objs = fn();
    cache.set(name, objs);
  }
  return objs;
}

// ---------------------------------------------------------------------------------------------
// Workload helpers

const workloads = (objs: Obj[]) => objs.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
const find = (objs: Obj[], kind: string, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata?.name === name);
const isChorusService = (w: Obj) =>
  w.spec.template.metadata.labels["app.kubernetes.io/component"] !== "dev-infra";
const allContainers = (w: Obj): Obj[] => [
  ...(w.spec.template.spec.initContainers ?? []),
  ...(w.spec.template.spec.containers ?? []),
];

/** The environment a container starts with: envFrom sources in order, then env (later wins). */
function effectiveEnv(objs: Obj[], c: Obj): { env: Record<string, string>; missing: string[] } {
  const env: Record<string, string> = {};
  const missing: string[] = [];
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef) {
      const cm = find(objs, "ConfigMap", from.configMapRef.name);
      if (cm) Object.assign(env, cm.data ?? {});
      else if (!from.configMapRef.optional) missing.push(`ConfigMap ${from.configMapRef.name}`);
    }
    if (from.secretRef) {
      const s = find(objs, "Secret", from.secretRef.name);
      if (s) {
        for (const [k, v] of Object.entries(s.data ?? {}))
          env[k] = Buffer.from(String(v), "base64").toString();
        Object.assign(env, s.stringData ?? {});
      } else if (!from.secretRef.optional) missing.push(`Secret ${from.secretRef.name}`);
    }
  }
  for (const e of c.env ?? []) if (typeof e.value === "string") env[e.name] = e.value;
  return { env, missing };
}

/** Seconds a preStop hook pauses: the native sleep action, or an exec of `sleep N`. */
function preStopSeconds(c: Obj): number | undefined {
  const h = c.lifecycle?.preStop;
  if (!h) return undefined;
  if (h.sleep) return Number(h.sleep.seconds);
  const cmd: string[] = h.exec?.command ?? [];
  const m = cmd.join(" ").match(/\bsleep\s+(\d+(?:\.\d+)?)/);
  return m ? Number(m[1]) : undefined;
}

/** The fewest replicas a workload can run with: its autoscaler's minimum, else spec.replicas (default 1). */
function minReplicas(objs: Obj[], w: Obj): number {
  const hpa = objs.find(
    (o) => o.kind === "HorizontalPodAutoscaler" && o.spec.scaleTargetRef.name === w.metadata.name,
  );
  if (hpa) return hpa.spec.minReplicas ?? 1;
  const so = objs.find((o) => o.kind === "ScaledObject" && o.spec.scaleTargetRef.name === w.metadata.name);
  if (so) return so.spec.minReplicaCount ?? 0;
  return w.spec.replicas ?? 1;
}

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** The exported zod object schema of services/<name>/src/config.ts. */
async function configSchema(name: ServiceName): Promise<{ shape: Obj; safeParse: (v: unknown) => Obj }> {
  const mod = (await import(pathToFileURL(join(repoRoot, "services", name, "src", "config.ts")).href)) as Obj;
  const schema = Object.values(mod).find(
    (v) => v && typeof v === "object" && "shape" in v && "safeParse" in v,
  );
  if (!schema) throw new Error(`services/${name}/src/config.ts exports no zod object schema`);
  return schema;
}

// ---------------------------------------------------------------------------------------------

describe("the files under deploy/k8s", () => {
  const files = yamlFiles(k8sDir);
  const kustomizations = files.filter((f) => /kustomization\.ya?ml$/.test(f));

  it("are all valid YAML", () => {
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(() => parseYamlFile(f), relative(repoRoot, f)).not.toThrow();
  });

  /** Every path a kustomization names, resolved, with what it must be. */
  const references = kustomizations.flatMap((k) => {
    const [doc] = parseYamlFile(k);
    const dir = dirname(k);
    const refs: Array<{ from: string; path: string; as: "resource" | "component" | "patch" | "env" }> = [];
    for (const r of doc?.resources ?? []) refs.push({ from: k, path: resolve(dir, r), as: "resource" });
    for (const c of doc?.components ?? []) refs.push({ from: k, path: resolve(dir, c), as: "component" });
    for (const p of doc?.patches ?? [])
      if (p.path) refs.push({ from: k, path: resolve(dir, p.path), as: "patch" });
    for (const g of [...(doc?.configMapGenerator ?? []), ...(doc?.secretGenerator ?? [])]) {
      for (const e of [...(g.envs ?? []), ...(g.files ?? [])])
        refs.push({ from: k, path: resolve(dir, e), as: "env" });
    }
    return refs;
  });

  it("have kustomizations whose resources, components, patches and generator files all exist", () => {
    expect(kustomizations.map((k) => relative(k8sDir, k)).sort()).toEqual(
      expect.arrayContaining([
        "base/kustomization.yaml",
        "components/keda/kustomization.yaml",
        "overlays/dev/kustomization.yaml",
        "overlays/production/kustomization.yaml",
      ]),
    );
    for (const ref of references) {
      const where = `${relative(repoRoot, ref.from)} → ${relative(repoRoot, ref.path)}`;
      expect(existsSync(ref.path), `${where} does not exist`).toBe(true);
      if (statSync(ref.path).isDirectory()) {
        expect(existsSync(join(ref.path, "kustomization.yaml")), `${where} has no kustomization.yaml`).toBe(
          true,
        );
        const [kind] = parseYamlFile(join(ref.path, "kustomization.yaml"));
        expect(kind?.kind ?? "Kustomization", where).toBe(
          ref.as === "component" ? "Component" : "Kustomization",
        );
      }
    }
  });

  it("are each used by some kustomization, and every object in them is a valid Kubernetes object", () => {
    const used = new Set(references.map((r) => r.path));
    const patches = new Set(references.filter((r) => r.as === "patch").map((r) => r.path));
    for (const f of files) {
      if (kustomizations.includes(f)) continue;
      expect(used.has(f), `${relative(repoRoot, f)} is not referenced by any kustomization`).toBe(true);
      if (patches.has(f)) continue; // partial objects; their effect is checked in the renders below
      for (const o of parseYamlFile(f)) {
        expect(() => validateObject(o), `${relative(repoRoot, f)}: ${label(o)}`).not.toThrow();
      }
    }
  });
});

describe.each(Object.keys(renders))("rendered %s", (name) => {
  const objs = () => rendered(name);
  const isDev = name.includes("dev");

  it("contains only valid Kubernetes objects", () => {
    expect(objs().length).toBeGreaterThan(10);
    for (const o of objs()) expect(() => validateObject(o), label(o)).not.toThrow();
  });

  it("hardens every container: non-root, read-only root, no privilege escalation, ALL capabilities dropped, RuntimeDefault seccomp, requests and limits, a readiness probe", () => {
    for (const w of workloads(objs())) {
      const pod = w.spec.template.spec;
      for (const c of allContainers(w)) {
        const where = `${label(w)} container ${c.name}`;
        const sc = c.securityContext ?? {};
        expect(sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, `${where}: runAsNonRoot`).toBe(true);
        expect(
          sc.runAsUser ?? pod.securityContext?.runAsUser,
          `${where}: numeric non-root user`,
        ).toBeGreaterThan(0);
        expect(sc.readOnlyRootFilesystem, `${where}: readOnlyRootFilesystem`).toBe(true);
        expect(sc.allowPrivilegeEscalation, `${where}: allowPrivilegeEscalation`).toBe(false);
        expect(sc.capabilities?.drop, `${where}: capabilities.drop`).toContain("ALL");
        expect(sc.capabilities?.add ?? [], `${where}: capabilities.add`).toEqual([]);
        expect((sc.seccompProfile ?? pod.securityContext?.seccompProfile)?.type, `${where}: seccomp`).toBe(
          "RuntimeDefault",
        );
        for (const r of ["cpu", "memory"]) {
          expect(c.resources?.requests?.[r], `${where}: requests.${r}`).toBeDefined();
          expect(c.resources?.limits?.[r], `${where}: limits.${r}`).toBeDefined();
        }
        if (!(pod.initContainers ?? []).includes(c)) {
          expect(c.readinessProbe, `${where}: readinessProbe`).toBeDefined();
          for (const p of c.ports ?? [])
            expect(p.name, `${where}: port ${p.containerPort} is named`).toBeTruthy();
        }
        expect(pod.hostNetwork ?? false, `${where}: hostNetwork`).toBe(false);
        expect(sc.privileged ?? false, `${where}: privileged`).toBe(false);
      }
    }
  });

  it("gives every Chorus service a preStop pause and a grace period longer than preStop + SHUTDOWN_TIMEOUT_MS", () => {
    const services = workloads(objs()).filter(isChorusService);
    expect(services.length).toBeGreaterThanOrEqual(3);
    for (const w of services) {
      const grace = w.spec.template.spec.terminationGracePeriodSeconds ?? 30;
      for (const c of w.spec.template.spec.containers) {
        const where = `${label(w)} container ${c.name}`;
        const pause = preStopSeconds(c);
        expect(pause, `${where}: preStop sleep`).toBeGreaterThanOrEqual(3);
        const { env } = effectiveEnv(objs(), c);
        const shutdownMs = Number(env.SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
        expect(Number.isFinite(shutdownMs), `${where}: SHUTDOWN_TIMEOUT_MS is a number`).toBe(true);
        // A margin too: SIGKILL must never land while the service is still inside its own bound.
        expect(grace, `${where}: terminationGracePeriodSeconds`).toBeGreaterThan(
          shutdownMs / 1000 + (pause ?? 0) + 2,
        );
      }
    }
  });

  it("probes gRPC services with grpc.health.v1 and the gateway with /readyz and /healthz", () => {
    for (const svc of SERVICE_NAMES) {
      const w = find(objs(), "Deployment", svc);
      expect(w, `Deployment ${svc}`).toBeDefined();
      const c = w?.spec.template.spec.containers.find((x: Obj) => x.name === svc);
      const port = c.ports.find((p: Obj) => p.name === SERVICES[svc].portName);
      expect(port?.containerPort, `${svc} port ${SERVICES[svc].portName}`).toBe(SERVICES[svc].port);
      if (svc === "gateway") {
        expect(c.readinessProbe.httpGet).toMatchObject({ path: "/readyz", port: "http" });
        expect(c.livenessProbe.httpGet).toMatchObject({ path: "/healthz", port: "http" });
      } else {
        expect(c.readinessProbe.grpc?.port, `${svc} readiness`).toBe(SERVICES[svc].port);
        expect(c.livenessProbe.grpc?.port, `${svc} liveness`).toBe(SERVICES[svc].port);
      }
    }
  });

  it("gives each service its own ServiceAccount, a Service on a named port that reaches it, a PodDisruptionBudget and a NetworkPolicy", () => {
    const all = objs();
    for (const svc of SERVICE_NAMES) {
      const w = find(all, "Deployment", svc);
      const podLabels = w?.spec.template.metadata.labels;
      expect(w?.spec.template.spec.serviceAccountName, `${svc} serviceAccountName`).toBe(svc);
      expect(find(all, "ServiceAccount", svc), `ServiceAccount ${svc}`).toBeDefined();
      const service = find(all, "Service", svc);
      expect(selects(service?.spec.selector, podLabels), `Service ${svc} selects its pods`).toBe(true);
      expect(service?.spec.ports.map((p: Obj) => p.targetPort)).toEqual([SERVICES[svc].portName]);
      const pdb = all.find(
        (o) => o.kind === "PodDisruptionBudget" && selects(o.spec.selector.matchLabels, podLabels),
      );
      expect(pdb, `PodDisruptionBudget for ${svc}`).toBeDefined();
      // A PDB that allows no disruption at the minimum replica count would block every node drain.
      if (pdb?.spec.minAvailable !== undefined) {
        expect(pdb.spec.minAvailable).toBeLessThan(minReplicas(all, w as Obj));
      }
      const policy = all.find(
        (o) =>
          o.kind === "NetworkPolicy" && o.spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === svc,
      );
      expect(policy, `NetworkPolicy for ${svc}`).toBeDefined();
    }
  });

  it("denies all traffic to and from Chorus pods except the flows it opens", () => {
    const all = objs();
    const deny = all.find(
      (o) =>
        o.kind === "NetworkPolicy" &&
        o.spec.podSelector.matchLabels?.["app.kubernetes.io/part-of"] === "chorus" &&
        !o.spec.ingress &&
        !o.spec.egress,
    );
    expect(deny?.spec.policyTypes).toEqual(expect.arrayContaining(["Ingress", "Egress"]));
    for (const w of workloads(all)) {
      expect(w.spec.template.metadata.labels["app.kubernetes.io/part-of"], `${label(w)} is covered`).toBe(
        "chorus",
      );
    }
    // consent's gRPC port is reachable from gateway and dispatch only.
    const consent = all.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "consent");
    const from = consent?.spec.ingress.flatMap((r: Obj) => r.from ?? []);
    expect(from.length).toBeGreaterThan(0);
    expect(from.flatMap((f: Obj) => f.podSelector?.matchExpressions?.[0]?.values ?? [])).toEqual([
      "gateway",
      "dispatch",
    ]);
  });

  it("runs every container's configuration through the service's own config schema", async () => {
    const all = objs();
    for (const svc of SERVICE_NAMES) {
      const schema = await configSchema(svc);
      const c = find(all, "Deployment", svc)?.spec.template.spec.containers[0];
      const { env, missing } = effectiveEnv(all, c);
      // Node itself reads NODE_OPTIONS; everything else must be a variable the service reads.
      const unknown = Object.keys(env).filter((k) => k !== "NODE_OPTIONS" && !(k in schema.shape));
      expect(unknown, `${svc}: variables its config schema does not read`).toEqual([]);
      const parsed = schema.safeParse(env);
      expect(parsed.success, `${svc}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      const hostVar = Object.keys(schema.shape).find((k) => /_HOST$/.test(k) && k !== "GATEWAY_HOST_HEADER");
      expect(env[hostVar as string], `${svc}: ${hostVar} listens beyond loopback`).toBe("0.0.0.0");
      if (isDev) {
        expect(missing, `${svc}: ConfigMaps/Secrets it references`).toEqual([]);
        expect(env.MONGO_URL, `${svc}: MONGO_URL from its Secret`).toMatch(/^mongodb:\/\//);
      } else {
        // Secrets are created by the operator (README "Secrets"); only they may be absent.
        expect(missing, `${svc}: missing references`).toEqual([`Secret chorus-${svc}-secrets`]);
        // In production, streams survive the loss of a NATS node.
        if (name.includes("production"))
          expect(env.NATS_STREAM_REPLICAS, `${svc}: NATS_STREAM_REPLICAS`).toBe("3");
      }
    }
  });

  it("keeps at least two replicas of each service outside dev, one in dev", () => {
    const all = objs();
    for (const svc of SERVICE_NAMES) {
      const w = find(all, "Deployment", svc) as Obj;
      if (isDev) expect(minReplicas(all, w), `${svc} in dev`).toBe(1);
      else expect(minReplicas(all, w), svc).toBeGreaterThanOrEqual(2);
      // An autoscaler owns the count: `replicas` in the Deployment would reset it on every apply.
      const scaled = all.some(
        (o) =>
          (o.kind === "HorizontalPodAutoscaler" || o.kind === "ScaledObject") &&
          o.spec.scaleTargetRef.name === svc,
      );
      if (scaled) expect(w.spec.replicas, `${svc}: replicas left beside its autoscaler`).toBeUndefined();
    }
  });

  it(
    isDev
      ? "brings its own NATS, FerretDB and carrier-sim"
      : "has no carrier-sim and no in-cluster NATS or MongoDB",
    () => {
      const names = workloads(objs()).map((w) => w.metadata.name);
      for (const infra of ["carrier-sim", "nats", "ferretdb"]) {
        if (isDev) expect(names).toContain(infra);
        else expect(names).not.toContain(infra);
      }
      if (isDev) {
        const dispatchEnv = effectiveEnv(
          objs(),
          find(objs(), "Deployment", "dispatch")?.spec.template.spec.containers[0],
        );
        expect(dispatchEnv.env.BANDWIDTH_BASE_URL).toBe("http://carrier-sim:8090/api/v2");
        const simEnv = effectiveEnv(
          objs(),
          find(objs(), "Deployment", "carrier-sim")?.spec.template.spec.containers[0],
        );
        expect(simEnv.env.CARRIER_SIM_CALLBACK_URL).toBe(
          "http://gateway:8080/v1/carrier/bandwidth/callbacks",
        );
        expect(simEnv.env.CARRIER_SIM_USERNAME).toBe(dispatchEnv.env.BANDWIDTH_USERNAME);
        expect(simEnv.env.CARRIER_SIM_PASSWORD).toBe(dispatchEnv.env.BANDWIDTH_PASSWORD);
        expect(simEnv.env.CARRIER_SIM_ACCOUNT_ID).toBe(dispatchEnv.env.BANDWIDTH_ACCOUNT_ID);
        const gwEnv = effectiveEnv(
          objs(),
          find(objs(), "Deployment", "gateway")?.spec.template.spec.containers[0],
        );
        expect(simEnv.env.CARRIER_SIM_CALLBACK_PASSWORD).toBe(gwEnv.env.BANDWIDTH_CALLBACK_PASSWORD);
      } else {
        const dispatchEnv = effectiveEnv(
          objs(),
          find(objs(), "Deployment", "dispatch")?.spec.template.spec.containers[0],
        );
        expect(dispatchEnv.env.BANDWIDTH_BASE_URL).toBe("https://messaging.bandwidth.com/api/v2");
      }
    },
  );
});

describe("the KEDA component", () => {
  it("scales dispatch on the lag of the consumer dispatch actually reads its work from", () => {
    const objs = rendered("overlays/production + components/keda");
    const so = objs.find((o) => o.kind === "ScaledObject");
    expect(so?.spec.scaleTargetRef.name).toBe("dispatch");
    const trigger = so?.spec.triggers[0];
    expect(trigger.type).toBe("nats-jetstream");
    const serviceTs = readFileSync(join(repoRoot, "services/dispatch/src/service.ts"), "utf8");
    const durable = serviceTs.match(/DURABLES\s*=\s*\{[^}]*\bwork:\s*"([^"]+)"/)?.[1];
    const stream = serviceTs.match(/stream:\s*"([A-Z_]+)",\s*\n\s*durable:\s*DURABLES\.work/)?.[1];
    expect(durable).toBeTruthy();
    expect(trigger.metadata.consumer).toBe(durable);
    expect(trigger.metadata.stream).toBe(stream);
    expect(Number(trigger.metadata.lagThreshold)).toBeGreaterThan(0);
    expect(so?.metadata.namespace).toBe("chorus");
  });
});

describe("the image the manifests run", () => {
  it("runs as the same numeric non-root user the pods require", () => {
    const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    const finalUser = users.at(-1) ?? "";
    expect(finalUser, "the last USER is numeric (runAsNonRoot cannot verify a name)").toMatch(/^\d+(:\d+)?$/);
    const [uid] = finalUser.split(":");
    for (const w of workloads(rendered("overlays/production")).filter(isChorusService)) {
      expect(String(w.spec.template.spec.securityContext.runAsUser), label(w)).toBe(uid);
    }
    expect(readFileSync(join(repoRoot, ".dockerignore"), "utf8")).toMatch(/^\*\*\/node_modules$/m);
  });
});
