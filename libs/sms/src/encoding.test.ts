import { describe, expect, it } from "vitest";
import { analyzeText, isGsm7Char } from "./encoding.js";

const EMOJI = "😀"; // U+1F600, one surrogate pair
const FAMILY = "👨‍👩‍👧"; // man ZWJ woman ZWJ girl: 3 pairs + 2 ZWJ = 8 UTF-16 units

describe("analyzeText: GSM-7", () => {
  it("treats empty text as zero segments", () => {
    expect(analyzeText("")).toEqual({ encoding: "GSM-7", characters: 0, segments: 0, perSegment: 160 });
  });

  it("fits exactly 160 septets in one segment", () => {
    expect(analyzeText("a".repeat(160))).toEqual({
      encoding: "GSM-7",
      characters: 160,
      segments: 1,
      perSegment: 160,
    });
  });

  it("splits 161 septets into two segments of 153", () => {
    expect(analyzeText("a".repeat(161))).toEqual({
      encoding: "GSM-7",
      characters: 161,
      segments: 2,
      perSegment: 153,
    });
  });

  it("fits 153 * 2 septets in two segments and needs a third for one more", () => {
    expect(analyzeText("a".repeat(306)).segments).toBe(2);
    expect(analyzeText("a".repeat(307)).segments).toBe(3);
    expect(analyzeText("a".repeat(459)).segments).toBe(3);
  });

  it("counts € as two septets", () => {
    expect(analyzeText("Price: 5€")).toEqual({
      encoding: "GSM-7",
      characters: 10,
      segments: 1,
      perSegment: 160,
    });
    expect(analyzeText("€".repeat(80)).segments).toBe(1);
    expect(analyzeText("€".repeat(81))).toMatchObject({ characters: 162, segments: 2 });
  });

  it("counts every extension character as two septets", () => {
    expect(analyzeText("\f^{}\\[~]|€").characters).toBe(20);
  });

  it("does not split an extension character across a segment boundary", () => {
    // 152 + 2 + 152 = 306 septets would fit two full segments, but the € sits on septets 153-154,
    // so it moves to segment two and the last character spills into a third.
    const text = `${"a".repeat(152)}€${"a".repeat(152)}`;
    expect(analyzeText(text)).toEqual({ encoding: "GSM-7", characters: 306, segments: 3, perSegment: 153 });
    // Without the straddle the same septet count is two segments.
    expect(analyzeText(`€${"a".repeat(304)}`).segments).toBe(2);
  });

  it("keeps the whole basic table, including newline, CR and Greek capitals, in GSM-7", () => {
    const text = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà";
    expect(analyzeText(text)).toMatchObject({ encoding: "GSM-7", characters: [...text].length });
  });

  it("recognises exactly 137 characters: 127 basic (128 minus escape) and 10 extension", () => {
    // Every GSM 03.38 character lies below U+2200 (€ is U+20AC).
    let count = 0;
    for (let cp = 0; cp < 0x2200; cp++) if (isGsm7Char(String.fromCodePoint(cp))) count++;
    expect(count).toBe(137);
  });
});

describe("analyzeText: UCS-2", () => {
  it("switches to UCS-2 for characters outside GSM 03.38", () => {
    // ç (lower case) and curly quotes are not in the GSM table; Ç is.
    expect(analyzeText("ça va").encoding).toBe("UCS-2");
    expect(analyzeText("Ça va").encoding).toBe("GSM-7");
    expect(analyzeText("it’s").encoding).toBe("UCS-2");
  });

  it("fits exactly 70 code units in one segment", () => {
    expect(analyzeText("ж".repeat(70))).toEqual({
      encoding: "UCS-2",
      characters: 70,
      segments: 1,
      perSegment: 70,
    });
  });

  it("splits 71 code units into two segments of 67", () => {
    expect(analyzeText("ж".repeat(71))).toEqual({
      encoding: "UCS-2",
      characters: 71,
      segments: 2,
      perSegment: 67,
    });
  });

  it("turns plain text with one emoji into UCS-2 and counts the emoji as two units", () => {
    expect(analyzeText(`Hello ${EMOJI}`)).toEqual({
      encoding: "UCS-2",
      characters: 8,
      segments: 1,
      perSegment: 70,
    });
    expect(analyzeText(`${"a".repeat(68)}${EMOJI}`)).toMatchObject({ characters: 70, segments: 1 });
    expect(analyzeText(`${"a".repeat(69)}${EMOJI}`)).toMatchObject({ characters: 71, segments: 2 });
  });

  it("counts a ZWJ emoji sequence by its UTF-16 code units", () => {
    expect(FAMILY.length).toBe(8);
    expect(analyzeText(FAMILY)).toEqual({ encoding: "UCS-2", characters: 8, segments: 1, perSegment: 70 });
  });

  it("does not split a surrogate pair across a segment boundary", () => {
    // 66 + 2 + 66 = 134 units would fit two segments of 67, but the emoji would straddle the first boundary.
    const text = `${"a".repeat(66)}${EMOJI}${"a".repeat(66)}`;
    expect(analyzeText(text)).toEqual({ encoding: "UCS-2", characters: 134, segments: 3, perSegment: 67 });
    expect(analyzeText(`${EMOJI}${"a".repeat(132)}`).segments).toBe(2);
  });

  it("counts a lone surrogate as one unit rather than failing", () => {
    expect(analyzeText("a\uD83D")).toMatchObject({ encoding: "UCS-2", characters: 2, segments: 1 });
  });
});
