import { captureLogs } from "@chorus/testing";
import { describe, expect, it } from "vitest";
import { createLogger, scrubPhones } from "./log.js";

describe("logger redaction", () => {
  it("hides phone numbers, message text and secrets in structured fields", async () => {
    const out = captureLogs();
    const log = createLogger({ service: "test", destination: out.stream });
    log.info(
      {
        to: "+14155550123",
        from: "+14155550199",
        text: "Your code is 1234",
        message: { to: "+14155550123", body: "hello there" },
        authorization: "Bearer chk_secret",
        orgId: "org-1",
      },
      "sending",
    );
    log.flush();
    await new Promise((r) => setTimeout(r, 10));
    const written = out.text();
    expect(written).not.toContain("4155550123");
    expect(written).not.toContain("4155550199");
    expect(written).not.toContain("Your code is");
    expect(written).not.toContain("hello there");
    expect(written).not.toContain("chk_secret");
    const line = out.lines()[0]!;
    expect(line.orgId).toBe("org-1");
    expect(line.to).toBe("[redacted]");
    expect((line.message as Record<string, unknown>).body).toBe("[redacted]");
  });

  it("masks phone numbers inside free-text messages and errors", async () => {
    const out = captureLogs();
    const log = createLogger({ service: "test", destination: out.stream });
    log.warn("carrier rejected +14155550123 and (415) 555-0188");
    log.error({ err: new Error("invalid destination 415.555.0177") }, "send failed");
    log.flush();
    await new Promise((r) => setTimeout(r, 10));
    const written = out.text();
    expect(written).not.toMatch(/555.?01(23|88|77)/);
    expect(written).toContain("[phone]");
  });

  it("leaves ordinary numbers alone", () => {
    expect(scrubPhones("retry 3 of 10 after 250 ms")).toBe("retry 3 of 10 after 250 ms");
  });
});
