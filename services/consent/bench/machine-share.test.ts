import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { machineShare, parseProcStat, REAPED } from "./machine-share.js";

/** A node process that burns `ms` of its own CPU, then prints "burnt" and (when `stay`) idles. */
function burner(ms: number, stay: boolean): ChildProcess {
  const code = `const t = process.cpuUsage();
    const used = () => { const u = process.cpuUsage(t); return (u.user + u.system) / 1000; };
    while (used() < ${ms}) {}
    process.stdout.write("burnt");
    ${stay ? "setInterval(() => {}, 1000);" : ""}`;
  return spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

describe("parseProcStat", () => {
  it("reads a name with spaces and parentheses, its own CPU and its reaped children's", () => {
    const line = "4242 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 120 30 7 3 20 0 1 0 99 0 0";
    expect(parseProcStat(line)).toEqual({ name: "a (b) c", ownTicks: 120 + 30, childTicks: 7 + 3 });
  });
});

describe.runIf(process.platform === "linux")("machineShare", () => {
  it("counts the server's main thread apart, and a child that exited as reaped by this process", async () => {
    const server = burner(200, true);
    children.push(server);
    await once(server, "spawn");
    const share = machineShare(server.pid as number);
    await once(server.stdout as NodeJS.ReadableStream, "data"); // it has burnt its 200 ms
    const busy = burner(300, false);
    children.push(busy);
    await once(busy, "exit");

    const m = share.sample();
    expect(m?.server?.runMs).toBeGreaterThanOrEqual(150);
    expect(m?.others.some((o) => o.pid === server.pid)).toBe(false);
    // The exited child's 300 ms (in 10 ms ticks) count as reaped by this process, its parent.
    const reaped = m?.others.find((o) => o.pid === REAPED);
    expect((reaped?.share ?? 0) * (m?.seconds ?? 0) * 1000).toBeGreaterThanOrEqual(250);
    expect(share.report()).toMatch(/the server's main thread ran \d+ ms and waited \d+ ms/);
  });

  it("when this process is the server (the in-process service), still counts the children it reaped", async () => {
    const share = machineShare(process.pid);
    const busy = burner(300, false);
    children.push(busy);
    await once(busy, "exit");

    const m = share.sample();
    expect(m?.others.some((o) => o.pid === process.pid)).toBe(false);
    const reaped = m?.others.find((o) => o.pid === REAPED);
    expect((reaped?.share ?? 0) * (m?.seconds ?? 0) * 1000).toBeGreaterThanOrEqual(250);
  });
});
