import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying the signature: `Chorus-Signature: t=<unix seconds>,v1=<hex hmac>`. */
export const SIGNATURE_HEADER = "chorus-signature";

/** HMAC-SHA256 with the subscription's secret over `${timestamp}.${body}`, hex. */
export function computeSignature(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

export function signatureHeader(
  secret: string,
  body: string,
  nowSec = Math.floor(Date.now() / 1000),
): string {
  return `t=${nowSec},v1=${computeSignature(secret, nowSec, body)}`;
}

/**
 * Verifies a webhook as a receiver should: parse `t` and every `v1`, recompute the HMAC over the
 * exact raw body, compare in constant time, and reject timestamps more than `toleranceSec` away
 * from now (replay protection). Returns true only for an authentic, fresh delivery.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined | null,
  body: string | Buffer,
  toleranceSec = 300,
  nowSec = Math.floor(Date.now() / 1000),
): boolean {
  if (!header || typeof header !== "string") return false;
  let t: number | undefined;
  const sigs: string[] = [];
  for (const part of header.split(",")) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k === "t" && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === "v1" && /^[0-9a-f]{64}$/.test(v)) sigs.push(v);
  }
  if (t === undefined || sigs.length === 0) return false;
  if (Math.abs(nowSec - t) > toleranceSec) return false;
  const expected = Buffer.from(
    computeSignature(secret, t, typeof body === "string" ? body : body.toString("utf8")),
    "hex",
  );
  return sigs.some((s) => timingSafeEqual(Buffer.from(s, "hex"), expected));
}
