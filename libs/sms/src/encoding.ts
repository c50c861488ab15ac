export type SmsEncoding = "GSM-7" | "UCS-2";

export type TextAnalysis = {
  encoding: SmsEncoding;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  characters: number;
  /** Number of SMS segments the carrier will bill. Empty text is 0 segments. */
  segments: number;
  /** Capacity of one segment: 160/70 for a single-segment message, 153/67 once it is split. */
  perSegment: number;
};

// GSM 03.38 (3GPP TS 23.038) default alphabet, in table order; 0x1B (escape) is omitted.
const GSM7_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅå" +
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ" +
    " !\"#¤%&'()*+,-./" +
    "0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§" +
    "¿abcdefghijklmnopqrstuvwxyzäöñüà",
);

// Extension table: sent as escape + character, so each costs two septets.
const GSM7_EXTENSION = new Set("\f^{}\\[~]|€");

const GSM7 = { single: 160, multi: 153 } as const;
// Concatenated messages lose room to the 6-byte user data header: 153 septets or 67 UTF-16 units.
const UCS2 = { single: 70, multi: 67 } as const;

/** Exported for tests and for callers that want to show which characters force UCS-2. */
export function isGsm7Char(ch: string): boolean {
  return GSM7_BASIC.has(ch) || GSM7_EXTENSION.has(ch);
}

/**
 * Chooses the encoding a carrier would use for `text` and counts its segments.
 * Splitting never cuts a GSM-7 escape pair or a UTF-16 surrogate pair in half, so a character that
 * would straddle a boundary moves whole to the next segment (which can add a segment). Grapheme
 * clusters such as ZWJ emoji sequences may still span segments; handsets reassemble them.
 */
export function analyzeText(text: string): TextAnalysis {
  const gsm = gsm7Weights(text);
  if (gsm) return pack("GSM-7", gsm, GSM7);
  // Per code point: astral characters (most emoji) are a surrogate pair, 2 units.
  const units = Array.from(text, (ch) => ch.length);
  return pack("UCS-2", units, UCS2);
}

function gsm7Weights(text: string): number[] | undefined {
  const weights: number[] = [];
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) weights.push(1);
    else if (GSM7_EXTENSION.has(ch)) weights.push(2);
    else return undefined;
  }
  return weights;
}

function pack(
  encoding: SmsEncoding,
  weights: readonly number[],
  limits: { single: number; multi: number },
): TextAnalysis {
  const characters = weights.reduce((sum, w) => sum + w, 0);
  if (characters === 0) return { encoding, characters, segments: 0, perSegment: limits.single };
  if (characters <= limits.single) return { encoding, characters, segments: 1, perSegment: limits.single };

  let segments = 1;
  let used = 0;
  for (const w of weights) {
    if (used + w > limits.multi) {
      segments++;
      used = 0;
    }
    used += w;
  }
  return { encoding, characters, segments, perSegment: limits.multi };
}
