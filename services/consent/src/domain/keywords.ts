/**
 * Exact-keyword classification of an inbound text (CTIA / FCC 24-24 keywords).
 *
 * A message is a keyword only when, after normalization, the WHOLE message is one keyword.
 * "Please don't stop texting me" is not a keyword; free text goes to `analyzeRevocation`
 * (revocation.ts), which also catches "stop texting me" and friends.
 *
 * Normalization ({@link normalizeKeywordText}):
 * 1. Unicode NFKC, so compatibility forms match: full-width "ＳＴＯＰ", ligatures, "ＳＴＯＰ！".
 * 2. Invisible format characters (zero-width space/joiner, BOM, bidi marks) are removed.
 * 3. Lower-cased (case-folded).
 * 4. Everything before the first and after the last letter or digit is stripped: whitespace,
 *    punctuation, emoji, quotes ("STOP!!!", "  stop. ", "🛑STOP🛑", "'Stop'").
 * 5. Inside, runs of whitespace, hyphens, underscores and dots become one space, so "OPT-OUT",
 *    "opt_out", "Opt  Out" and "OPT OUT" are all "opt out".
 */

export type KeywordKind = "opt_out" | "opt_in" | "help";

export interface ClassifyKeywordOptions {
  /**
   * True when the last message sent to this number asked for an opt-in reply ("Reply YES to
   * subscribe"). Only then does YES count as an opt-in.
   */
  readonly awaitingOptInReply?: boolean;
}

/**
 * Opt-out keywords, normalized. The FCC 24-24 per-se list (stop, quit, end, revoke, opt out,
 * cancel, unsubscribe) plus the industry's STOPALL and OPTOUT. "OPT_OUT" normalizes to "opt out"
 * and so counts (decision: an underscore is as clear as a hyphen).
 */
export const OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set([
  "stop",
  "stopall",
  "unsubscribe",
  "cancel",
  "end",
  "quit",
  "revoke",
  "optout",
  "opt out",
]);

/** Opt-in keywords, normalized (YES is handled separately: only when awaiting an opt-in reply). */
export const OPT_IN_KEYWORDS: ReadonlySet<string> = new Set(["start", "unstop"]);

/** The opt-in keyword accepted only as the answer to an opt-in prompt. */
export const OPT_IN_PROMPT_REPLY_KEYWORDS: ReadonlySet<string> = new Set(["yes"]);

/** Help keywords, normalized. */
export const HELP_KEYWORDS: ReadonlySet<string> = new Set(["help", "info"]);

const FORMAT_CHARS = /\p{Cf}/gu;
const EDGE_NON_ALNUM = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const INNER_SEPARATORS = /[\s\-_.\u2010-\u2015\u2212]+/gu;

/** The normalized form keywords are matched against (see the module comment). */
export function normalizeKeywordText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(FORMAT_CHARS, "")
    .toLowerCase()
    .replace(EDGE_NON_ALNUM, "")
    .replace(INNER_SEPARATORS, " ");
}

/**
 * Classifies a whole inbound message as an opt-out, opt-in or help keyword, or `null` when it is
 * not exactly one keyword. YES is an opt-in only with `{ awaitingOptInReply: true }`.
 */
export function classifyKeyword(text: string, options: ClassifyKeywordOptions = {}): KeywordKind | null {
  const word = normalizeKeywordText(text);
  if (OPT_OUT_KEYWORDS.has(word)) return "opt_out";
  if (OPT_IN_KEYWORDS.has(word)) return "opt_in";
  if (options.awaitingOptInReply === true && OPT_IN_PROMPT_REPLY_KEYWORDS.has(word)) return "opt_in";
  if (HELP_KEYWORDS.has(word)) return "help";
  return null;
}
