import { describe, expect, it } from "vitest";
import { bandwidthReason, carrierTag, isTerminal, parseCarrierTag, statusesBelow } from "./model.js";

describe("status order", () => {
  it("a late `sent` cannot move a delivered message back, and terminal states never change", () => {
    expect(statusesBelow("sent")).not.toContain("delivered");
    expect(statusesBelow("delivered")).toEqual(
      expect.arrayContaining(["sending", "sent", "queued", "throttled"]),
    );
    for (const s of ["delivered", "failed", "blocked", "canceled", "unknown"] as const) {
      expect(isTerminal(s)).toBe(true);
      expect(statusesBelow("failed")).not.toContain(s);
    }
  });
});

describe("carrier tags", () => {
  it("round-trip org and message id, and ignore foreign tags", () => {
    expect(parseCarrierTag(carrierTag("org:with:colons", "6b0a1b09875e30566bdea69b"))).toEqual({
      orgId: "org:with:colons",
      id: "6b0a1b09875e30566bdea69b",
    });
    expect(parseCarrierTag("partner-tag")).toBeUndefined();
    expect(parseCarrierTag(undefined)).toBeUndefined();
  });
});

describe("Bandwidth error codes", () => {
  it("read as reasons staff understand, falling back to the carrier's description", () => {
    expect(bandwidthReason(4775, "")).toBe("the recipient has opted out with their carrier");
    expect(bandwidthReason(9902, "")).toContain("not necessarily lost");
    expect(bandwidthReason(4999, "Something new")).toBe("Something new");
  });
});
