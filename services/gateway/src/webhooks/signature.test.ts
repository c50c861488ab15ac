import { describe, expect, test } from "vitest";
import { computeSignature, signatureHeader, verifyWebhookSignature } from "./signature.js";

describe("webhook signatures", () => {
  const secret = "whsec_test_secret_value";
  const body = JSON.stringify({
    id: "status:m1:delivered",
    type: "message.status",
    data: { messageId: "m1" },
  });
  const now = 1_800_000_000;

  test("a signed body verifies; the documented scheme is HMAC-SHA256 over t.body", () => {
    const header = signatureHeader(secret, body, now);
    expect(header).toBe(`t=${now},v1=${computeSignature(secret, now, body)}`);
    expect(verifyWebhookSignature(secret, header, body, 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), 300, now + 299)).toBe(true);
  });

  test("tampering, another secret, staleness and junk headers are rejected", () => {
    const header = signatureHeader(secret, body, now);
    expect(verifyWebhookSignature(secret, header, body.replace("m1", "m2"), 300, now)).toBe(false);
    expect(verifyWebhookSignature("whsec_other", header, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, header.replace(`t=${now}`, `t=${now + 1}`), body, 300, now)).toBe(
      false,
    );
    for (const junk of ["", "v1=abc", `t=${now}`, "t=x,v1=y", null, undefined]) {
      expect(verifyWebhookSignature(secret, junk, body, 300, now)).toBe(false);
    }
  });

  test("several v1 signatures (secret rotation): any one matching is enough", () => {
    const good = computeSignature(secret, now, body);
    const other = computeSignature("old", now, body);
    expect(verifyWebhookSignature(secret, `t=${now},v1=${other},v1=${good}`, body, 300, now)).toBe(true);
  });
});
