import { describe, expect, it } from "vitest";
import { countSegments } from "./segments.js";

describe("countSegments", () => {
  it.each([
    ["", "GSM-7", 1],
    ["hello", "GSM-7", 1],
    ["a".repeat(160), "GSM-7", 1],
    ["a".repeat(161), "GSM-7", 2],
    ["a".repeat(306), "GSM-7", 2],
    ["a".repeat(307), "GSM-7", 3],
    ["[".repeat(80), "GSM-7", 1], // extension characters take two septets: exactly 160
    ["[".repeat(81), "GSM-7", 2],
    ["£¥èÄÖÑÜ§¿äöñüà€", "GSM-7", 1],
    ["✓", "UCS-2", 1],
    ["ç", "UCS-2", 1], // only upper-case Ç is in GSM-7
    ["✓".repeat(70), "UCS-2", 1],
    ["✓".repeat(71), "UCS-2", 2],
    ["✓".repeat(134), "UCS-2", 2],
    ["✓".repeat(135), "UCS-2", 3],
  ])("%j is %s in %i segment(s)", (text, encoding, segments) => {
    expect(countSegments(text)).toEqual({ encoding, segments });
  });

  it("never splits an extension character across segments", () => {
    // 152 plain + "€" (2 septets) does not fit in 153: the euro sign starts segment 2.
    const text = "a".repeat(152) + "€" + "a".repeat(152);
    // segment 1: 152 septets; segment 2: 2 + 151 = 153; segment 3: 1.
    expect(countSegments(text).segments).toBe(3);
  });

  it("never splits a surrogate pair across segments", () => {
    const text = "✓".repeat(66) + "😀" + "✓".repeat(66);
    // segment 1: 66 units; segment 2: 2 + 65 = 67; segment 3: 1.
    expect(countSegments(text).segments).toBe(3);
    expect(countSegments("😀".repeat(35)).segments).toBe(1);
    expect(countSegments("😀".repeat(36)).segments).toBe(2);
  });
});
