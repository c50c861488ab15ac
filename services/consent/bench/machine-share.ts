/**
 * What else this machine did while a latency run was measured (Linux only, best effort).
 *
 * On a 2-core machine a server's p99 is set less by its own code than by who else wanted its core:
 * the Check tail at 1,000,000 records turned out to be the kernel's DAMON thread (`kdamond.0`,
 * memory-access monitoring this VM runs) taking a core for 2–4 ms every half second. This samples
 * /proc around a run and reports, next to the latency figures:
 *   - the server's main thread: how long it waited runnable for a CPU (its schedstat run-queue wait),
 *   - the CPU every other process used (clock ticks from /proc/<pid>/stat), the busiest by name,
 *   - whether DAMON was monitoring (its sysfs state), since its thread is invisible otherwise.
 * It only reads: nothing here changes the machine.
 */

import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second for /proc/<pid>/stat's utime and stime: USER_HZ, 100 on Linux. */
const USER_HZ = 100;
const DAMON_STATE = "/sys/kernel/mm/damon/admin/kdamonds/0/state";
/** The key, not a pid, under which this process's reaped children's CPU is counted. */
export const REAPED = -1;

interface ProcessCpu {
  name: string;
  ticks: number;
}

/** A /proc/<pid>/stat line's command name, its own CPU ticks, and those of children it has reaped. */
export function parseProcStat(stat: string): { name: string; ownTicks: number; childTicks: number } {
  // "pid (comm) state ...": comm may hold spaces and parentheses, so split at the last ')'.
  const close = stat.lastIndexOf(")");
  const [utime, stime, cutime, cstime] = stat
    .slice(close + 2)
    .split(" ")
    // After comm: state is field 3, then utime, stime, cutime and cstime are fields 14–17
    // (1-based, proc(5)).
    .slice(11, 15)
    .map(Number);
  return {
    name: stat.slice(stat.indexOf("(") + 1, close),
    ownTicks: (utime ?? 0) + (stime ?? 0),
    childTicks: (cutime ?? 0) + (cstime ?? 0),
  };
}

/** Every process's CPU so far, by pid. Processes that vanish while being read are skipped. */
function processCpu(): Map<number, ProcessCpu> {
  const all = new Map<number, ProcessCpu>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const pid = Number(entry);
      const { name, ownTicks, childTicks } = parseProcStat(readFileSync(`/proc/${entry}/stat`, "utf8"));
      if (pid === process.pid) {
        // Apart, so that ghz — exited, so counted in its parent's reaped children — still counts
        // when this process is the server (the in-process service).
        all.set(pid, { name: "this script", ticks: ownTicks });
        all.set(REAPED, { name: "ghz (reaped by this script)", ticks: childTicks });
      } else {
        // A child reaped during the run counts under its parent.
        all.set(pid, { name, ticks: ownTicks + childTicks });
      }
    } catch {
      // The process exited between readdir and read.
    }
  }
  return all;
}

/** A thread's [time on a CPU, time waiting runnable for one] in ns, from its schedstat. */
function schedstat(pid: number): [number, number] | undefined {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ").map(Number);
    return run !== undefined && wait !== undefined ? [run, wait] : undefined;
  } catch {
    return undefined;
  }
}

function damonState(): string | undefined {
  try {
    return readFileSync(DAMON_STATE, "utf8").trim();
  } catch {
    return undefined;
  }
}

export interface MachineShare {
  seconds: number;
  /** The server's main thread: time on a CPU and time waiting runnable for one (ms), where known. */
  server?: { runMs: number; waitMs: number };
  /** Every other process's share of one core over the run, busiest first, and their sum. */
  others: Array<{ pid: number; name: string; share: number }>;
  othersShare: number;
  /** DAMON's state ("on", "off"), where the kernel has it. */
  damon?: string;
}

/**
 * Starts sampling for the run of the server `serverPid` (this process for the in-process service).
 * `sample()` ends it; `report()` ends it and formats one line, or "" where /proc is not there.
 */
export function machineShare(serverPid: number): { sample(): MachineShare | undefined; report(): string } {
  const linux = process.platform === "linux";
  const t0 = performance.now();
  const before = linux ? processCpu() : new Map<number, ProcessCpu>();
  const sched0 = linux ? schedstat(serverPid) : undefined;
  const sample = (): MachineShare | undefined => {
    if (!linux) return undefined;
    const seconds = (performance.now() - t0) / 1000;
    const after = processCpu();
    const sched1 = schedstat(serverPid);
    const others: MachineShare["others"] = [];
    let othersTicks = 0;
    for (const [pid, now] of after) {
      if (pid === serverPid) continue;
      // A process started during the run counts from zero.
      const ticks = now.ticks - (before.get(pid)?.ticks ?? 0);
      if (ticks <= 0) continue;
      othersTicks += ticks;
      others.push({ pid, name: now.name, share: ticks / USER_HZ / seconds });
    }
    others.sort((a, b) => b.share - a.share);
    return {
      seconds,
      server:
        sched0 && sched1
          ? { runMs: (sched1[0] - sched0[0]) / 1e6, waitMs: (sched1[1] - sched0[1]) / 1e6 }
          : undefined,
      others,
      othersShare: othersTicks / USER_HZ / seconds,
      damon: damonState(),
    };
  };
  return {
    sample,
    report() {
      const m = sample();
      if (!m) return "";
      const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
      const parts: string[] = [];
      if (m.server) {
        parts.push(
          `the server's main thread ran ${m.server.runMs.toFixed(0)} ms and waited ${m.server.waitMs.toFixed(0)} ms runnable for a CPU`,
        );
      }
      const top = m.others
        .slice(0, 5)
        .map((o) => `${o.name} ${pct(o.share)}`)
        .join(", ");
      parts.push(`other processes used ${pct(m.othersShare)} of a core (${top})`);
      if (m.damon !== undefined) parts.push(`DAMON ${m.damon}`);
      return `\n  machine over these ${m.seconds.toFixed(0)} s: ${parts.join("; ")}`;
    },
  };
}
