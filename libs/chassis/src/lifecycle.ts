import type { Logger } from "./log.js";

/**
 * Shutdown steps, registered in start order and run in reverse: mark unhealthy, stop taking work,
 * drain NATS, finish in-flight calls, close MongoDB, flush telemetry. Each step is bounded by the
 * overall deadline, so a stuck step never keeps a pod past its grace period.
 */
export class Shutdown {
  readonly #steps: Array<{ name: string; run: () => Promise<void> | void }> = [];
  #started = false;

  /** Registers a step; steps run in reverse registration order. */
  add(name: string, run: () => Promise<void> | void): void {
    this.#steps.push({ name, run });
  }

  async run(log: Logger, timeoutMs: number): Promise<boolean> {
    if (this.#started) return true;
    this.#started = true;
    const deadline = Date.now() + timeoutMs;
    let clean = true;
    for (const step of [...this.#steps].reverse()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        log.error({ step: step.name }, "shutdown deadline passed; skipping remaining steps");
        return false;
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(step.run),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${left} ms`)), left);
          }),
        ]);
        log.debug({ step: step.name }, "shutdown step done");
      } catch (err) {
        clean = false;
        log.error({ err, step: step.name }, "shutdown step failed");
      } finally {
        clearTimeout(timer);
      }
    }
    return clean;
  }
}

/**
 * Runs a service process: starts it, stops it in reverse order on SIGINT/SIGTERM within
 * `shutdownTimeoutMs`, and exits non-zero on a failed start or an unhandled error.
 */
export async function runService(opts: {
  name: string;
  log: Logger;
  shutdownTimeoutMs: number;
  start: (shutdown: Shutdown) => Promise<void>;
}): Promise<void> {
  const shutdown = new Shutdown();
  const stop = async (reason: string, code: number) => {
    opts.log.info({ reason }, `${opts.name} stopping`);
    const clean = await shutdown.run(opts.log, opts.shutdownTimeoutMs);
    opts.log.info({ clean }, `${opts.name} stopped`);
    opts.log.flush?.();
    process.exit(clean ? code : 1);
  };
  process.once("SIGINT", () => void stop("SIGINT", 0));
  process.once("SIGTERM", () => void stop("SIGTERM", 0));
  process.on("unhandledRejection", (err) => {
    opts.log.fatal({ err }, "unhandled rejection");
    void stop("unhandledRejection", 1);
  });
  process.on("uncaughtException", (err) => {
    opts.log.fatal({ err }, "uncaught exception");
    void stop("uncaughtException", 1);
  });
  try {
    await opts.start(shutdown);
  } catch (err) {
    opts.log.fatal({ err }, `${opts.name} failed to start`);
    await shutdown.run(opts.log, opts.shutdownTimeoutMs);
    opts.log.flush?.();
    process.exit(1);
  }
}

/**
 * Closes an HTTP server (fastify's `close()` and its node server): no new connections, requests
 * in flight may finish for `graceMs`, then every remaining connection is cut. Without the cut, one
 * connection that opened but never finished sending a request holds `close()` until the server's
 * headers timeout (a minute by default), and with it the rest of the shutdown.
 */
export async function closeHttp(
  app: { close(): PromiseLike<unknown>; server: { closeAllConnections(): void } },
  graceMs: number,
): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
