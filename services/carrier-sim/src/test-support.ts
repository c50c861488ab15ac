/**
 * Test helpers: a callback receiver (what the gateway's Bandwidth ingress would be) and a sim
 * listening on a loopback port. Used by this package's tests; other packages may use them too.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildCarrierSim, type CarrierSimHandle, type CarrierSimOptions } from "./app.js";

export type Event = {
  type: string;
  time: string;
  to: string;
  description: string;
  errorCode?: number;
  message: Record<string, unknown> & { id: string };
};

export interface ReceivedBatch {
  authorization: string | undefined;
  contentType: string | undefined;
  events: Event[];
}

export interface Receiver {
  url: string;
  batches: ReceivedBatch[];
  /** Every event received so far, in arrival order. */
  events(): Event[];
  /** Events of one message, in arrival order. */
  eventsFor(messageId: string): Event[];
  /** Resolves once `predicate` holds for the events received (polls every 5 ms). */
  waitFor(predicate: (events: Event[]) => boolean, timeoutMs?: number): Promise<Event[]>;
  /** Answer the next `n` POSTs with this status instead of 204. */
  failNext(n: number, status?: number): void;
  requests: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let failures = 0;
  let failStatus = 500;
  const batches: ReceivedBatch[] = [];
  const server: Server = createServer((req, res) => {
    receiver.requests++;
    readBody(req)
      .then((body) => {
        if (failures > 0) {
          failures--;
          res.writeHead(failStatus).end();
          return;
        }
        batches.push({
          authorization: req.headers.authorization,
          contentType: req.headers["content-type"],
          events: JSON.parse(body) as Event[],
        });
        res.writeHead(204).end();
      })
      .catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const events = () => batches.flatMap((b) => b.events);
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/v1/carrier/bandwidth/callbacks`,
    batches,
    events,
    eventsFor: (id) => events().filter((e) => e.message.id === id),
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = events();
        if (predicate(all)) return all;
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for callbacks; got ${JSON.stringify(all.map((e) => e.type))}`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    failNext(n, status = 500) {
      failures = n;
      failStatus = status;
    },
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export interface RunningSim extends CarrierSimHandle {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** The Bandwidth API base path for the SDK: `${baseUrl}/api/v2`. */
  basePath: string;
}

export const TEST_ACCOUNT = "9900000";
export const TEST_USER = "sim-user";
export const TEST_PASSWORD = "sim-pass";

/** A sim on a free loopback port, with test credentials unless overridden. */
export async function startSim(opts: Partial<CarrierSimOptions> = {}): Promise<RunningSim> {
  const handle = buildCarrierSim({
    accountId: TEST_ACCOUNT,
    username: TEST_USER,
    password: TEST_PASSWORD,
    ...opts,
  });
  const baseUrl = await handle.app.listen({ port: 0, host: "127.0.0.1" });
  return { ...handle, baseUrl, basePath: `${baseUrl}/api/v2` };
}

export function basicAuth(user = TEST_USER, password = TEST_PASSWORD): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}
