/**
 * SMS segment counting, as carriers bill it. A local copy on purpose: the sim must not depend on
 * the platform's own SMS library, so a bug there cannot hide behind the same bug here.
 *
 * GSM-7: 160 septets in one segment, 153 per segment when concatenated (the UDH takes 7).
 * Extension-table characters take two septets and are never split across segments.
 * UCS-2: 70 UTF-16 code units in one segment, 67 when concatenated; a surrogate pair is never split.
 */

const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "\f^{}\\[~]|€";

/** UTF-16 code unit → septets it takes in GSM-7 (1 basic, 2 extension), 0 if not in GSM-7. */
const septetsOf = new Uint8Array(0x10000);
for (const ch of GSM7_BASIC) septetsOf[ch.charCodeAt(0)] = 1;
for (const ch of GSM7_EXTENSION) septetsOf[ch.charCodeAt(0)] = 2;

export type Encoding = "GSM-7" | "UCS-2";

export interface SegmentInfo {
  encoding: Encoding;
  segments: number;
}

export function countSegments(text: string): SegmentInfo {
  if (text.length === 0) return { encoding: "GSM-7", segments: 1 };
  const septets = gsmSeptets(text);
  if (septets !== undefined) return { encoding: "GSM-7", segments: gsmSegments(text, septets) };
  return { encoding: "UCS-2", segments: ucs2Segments(text) };
}

/** Septet count if every character is in the GSM-7 alphabet, otherwise undefined. */
function gsmSeptets(text: string): number | undefined {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const w = septetsOf[text.charCodeAt(i)]!;
    if (w === 0) return undefined;
    n += w;
  }
  return n;
}

function gsmSegments(text: string, septets: number): number {
  if (septets <= 160) return 1;
  let segments = 1;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const w = septetsOf[text.charCodeAt(i)]!;
    if (used + w > 153) {
      segments++;
      used = 0;
    }
    used += w;
  }
  return segments;
}

function ucs2Segments(text: string): number {
  if (text.length <= 70) return 1;
  let segments = 1;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const w = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    if (used + w > 67) {
      segments++;
      used = 0;
    }
    used += w;
    if (w === 2) i++;
  }
  return segments;
}
