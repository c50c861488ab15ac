import { describe, expect, it } from "vitest";
import { classifyKeyword, normalizeKeywordText } from "./keywords.js";

const OPT_OUT_WORDS = [
  "STOP",
  "STOPALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
  "REVOKE",
  "OPTOUT",
  "OPT-OUT",
  "OPT OUT",
  "OPT_OUT",
];

/** Ways a single keyword arrives in practice; each must classify like the bare word. */
const VARIANTS: readonly [string, (w: string) => string][] = [
  ["upper case", (w) => w.toUpperCase()],
  ["lower case", (w) => w.toLowerCase()],
  ["title case", (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()],
  ["surrounding whitespace", (w) => `  ${w}\n`],
  ["tabs and CRLF", (w) => `\t${w}\r\n`],
  ["trailing punctuation", (w) => `${w}!!!`],
  ["trailing period", (w) => `${w}.`],
  ["quotes", (w) => `"${w}"`],
  ["curly quotes", (w) => `\u201C${w}\u201D`],
  ["emoji around", (w) => `🛑 ${w} 🛑`],
  ["emoji with ZWJ and variation selector", (w) => `${w} \u2764\uFE0F`],
  ["zero-width space", (w) => `\u200B${w}\u200B`],
  ["no-break space", (w) => `\u00A0${w}\u00A0`],
  ["ideographic space and full-width punctuation", (w) => `\u3000${w}\uFF01`],
  [
    "full-width letters",
    (w) =>
      [...w]
        .map((c) =>
          c >= "!" && c <= "~" ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c === " " ? "\u3000" : c,
        )
        .join(""),
  ],
];

describe("classifyKeyword", () => {
  describe("opt-out keyword matrix", () => {
    for (const word of OPT_OUT_WORDS) {
      it.each(VARIANTS)(`${word} with %s`, (_name, variant) => {
        expect(classifyKeyword(variant(word))).toBe("opt_out");
      });
    }
  });

  it.each(["START", "start", " Unstop! ", "\uFF33\uFF34\uFF21\uFF32\uFF34"])("opt-in: %s", (text) => {
    expect(classifyKeyword(text)).toBe("opt_in");
  });

  it.each(["HELP", "help?", " Info. ", "\uFF28\uFF25\uFF2C\uFF30"])("help: %s", (text) => {
    expect(classifyKeyword(text)).toBe("help");
  });

  it("YES is an opt-in only when the number was sent an opt-in prompt", () => {
    expect(classifyKeyword("YES")).toBeNull();
    expect(classifyKeyword("Yes!", { awaitingOptInReply: false })).toBeNull();
    expect(classifyKeyword("Yes!", { awaitingOptInReply: true })).toBe("opt_in");
    expect(classifyKeyword(" yes ", { awaitingOptInReply: true })).toBe("opt_in");
    // The prompt flag does not change other keywords.
    expect(classifyKeyword("STOP", { awaitingOptInReply: true })).toBe("opt_out");
  });

  it.each([
    "Please don't stop texting me",
    "stop texting me",
    "STOP STOP",
    "don't stop",
    "when does the bus stop?",
    "stop by at 5",
    "Stop please",
    "stopp",
    "S T O P",
    "STOP ALL",
    "unstoppable",
    "nonstop",
    "end of story",
    "help me with my order",
    "yes please",
    "",
    "   ",
    "!!!",
    "🛑",
  ])("not a keyword: %j", (text) => {
    expect(classifyKeyword(text)).toBeNull();
    expect(classifyKeyword(text, { awaitingOptInReply: true })).toBeNull();
  });

  it("normalizes to the matching form", () => {
    expect(normalizeKeywordText("  \uFF2F\uFF30\uFF34\uFF0D\uFF2F\uFF35\uFF34\uFF01 ")).toBe("opt out");
    expect(normalizeKeywordText("Opt__Out")).toBe("opt out");
    expect(normalizeKeywordText("'Stop.'")).toBe("stop");
  });
});
