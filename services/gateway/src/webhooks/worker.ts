import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { Logger } from "@chorus/chassis/log";
import type { WebhookRepository } from "./repository.js";
import { SIGNATURE_HEADER, signatureHeader } from "./signature.js";
import { TargetError, type TargetPolicy } from "./targets.js";

export interface WebhookWorkerOptions {
  repo: WebhookRepository;
  targets: TargetPolicy;
  log: Logger;
  timeoutMs: number;
  retryBaseMs: number;
  maxAgeMs: number;
  pollMs: number;
  concurrency: number;
}

/** Exponential backoff with ±20 % jitter, capped at one hour. */
export function nextDelayMs(attempt: number, baseMs: number): number {
  const d = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d * (0.8 + Math.random() * 0.4));
}

/**
 * POSTs one signed body. The socket connects to an address the target policy approved after DNS
 * resolution (custom lookup), so a DNS answer cannot switch to a private address in between.
 */
export function postSigned(
  url: string,
  body: string,
  headers: Record<string, string>,
  targets: TargetPolicy,
  timeoutMs: number,
): Promise<number> {
  const u = new URL(url);
  const lookup: LookupFunction = (hostname, options, cb) => {
    targets
      .resolve(hostname)
      .then((addrs) => {
        if ((options as { all?: boolean }).all)
          (cb as unknown as (e: null, a: typeof addrs) => void)(null, addrs);
        else cb(null, addrs[0]!.address, addrs[0]!.family);
      })
      .catch((err: Error) => cb(err as NodeJS.ErrnoException, "", 4));
  };
  const send = u.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: "POST",
        lookup,
        timeout: timeoutMs,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "Chorus-Webhooks/1",
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

/** Polls the due queue and delivers, at most `concurrency` at once, until stopped. */
export function startWebhookWorker(opts: WebhookWorkerOptions) {
  let stopping = false;
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const leaseMs = opts.timeoutMs + 30_000;

  const deliverOne = async (id: string, orgId: string) => {
    const d = await opts.repo.deliveryForSend(orgId, id);
    if (d?.state !== "pending") {
      await opts.repo.dropDue(id);
      return;
    }
    const sub = await opts.repo.subscriptionWithSecret(orgId, d.subscriptionId);
    if (!sub) {
      await opts.repo.recordAttempt(orgId, id, {
        ok: false,
        statusCode: null,
        error: "subscription deleted",
        nextAttemptAt: null,
      });
      return;
    }
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      statusCode = await postSigned(
        sub.url,
        d.body,
        {
          [SIGNATURE_HEADER]: signatureHeader(sub.secret, d.body),
          "chorus-event-id": d.eventId,
          "chorus-event-type": d.eventType,
          "chorus-delivery-id": d.id,
        },
        opts.targets,
        opts.timeoutMs,
      );
      if (statusCode < 200 || statusCode >= 300) error = `receiver answered ${statusCode}`;
    } catch (err) {
      error =
        err instanceof TargetError
          ? `refused target: ${err.message}`
          : `request failed: ${(err as Error).message}`;
    }
    const ok = error === null;
    const attempt = d.attempts + 1;
    const age = Date.now() - Date.parse(d.createdAt);
    const delay = nextDelayMs(attempt, opts.retryBaseMs);
    const nextAttemptAt = ok || age + delay > opts.maxAgeMs ? null : new Date(Date.now() + delay);
    await opts.repo.recordAttempt(orgId, id, { ok, statusCode, error, nextAttemptAt });
    if (!ok)
      opts.log.info(
        { deliveryId: id, attempt, statusCode, giveUp: !nextAttemptAt },
        "webhook delivery failed",
      );
  };

  const loop = async () => {
    while (!stopping && inFlight < opts.concurrency) {
      let claimed: { id: string; orgId: string } | null;
      try {
        claimed = await opts.repo.claimDue(leaseMs);
      } catch (err) {
        opts.log.warn({ err }, "webhook queue poll failed");
        break;
      }
      if (!claimed) break;
      inFlight += 1;
      const c = claimed;
      void deliverOne(c.id, c.orgId)
        .catch((err: unknown) => opts.log.error({ err, deliveryId: c.id }, "webhook delivery crashed"))
        .finally(() => {
          inFlight -= 1;
          if (inFlight === 0) wake?.();
        });
    }
    if (!stopping) timer = setTimeout(() => void loop(), opts.pollMs);
  };
  timer = setTimeout(() => void loop(), 0);

  return {
    /** Stops polling and waits for deliveries in flight. */
    async stop() {
      stopping = true;
      clearTimeout(timer);
      if (inFlight > 0) await new Promise<void>((r) => (wake = r));
    },
  };
}
