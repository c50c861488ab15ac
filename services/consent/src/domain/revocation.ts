/**
 * Revocation of consent "by any reasonable means" (FCC 24-24, effective 2025-04-11): free-text
 * replies such as "stop texting me" or "take me off your list" revoke consent just like STOP.
 *
 * `analyzeRevocation(text)` answers:
 * - "revoke": honour it as an opt-out.
 * - "ambiguous": a person should look at it (do NOT opt out automatically): complaints and
 *   disclaimers that are not a request ("wrong number", "this is spam", "not interested",
 *   "why do you keep texting me"), and would-be revocations weakened by a hedge
 *   ("what happens if I unsubscribe?").
 * - "none": nothing to do ("Please don't stop texting me", "Stop by the office at 5").
 *
 * Policy where the law is silent: when the plain meaning of a message is "stop contacting me",
 * it revokes, even if rude or informal ("leave me alone", "go away", "f off"): wrongly keeping
 * someone subscribed is the costly error, and a wrongly opted-out person can text START. When a
 * message complains or disclaims without asking, it is ambiguous. "Who is this?" is none.
 *
 * How it works (all rules are in {@link REVOCATION_RULES}, one reviewable list):
 * 1. An exact opt-out keyword (keywords.ts) is a revocation.
 * 2. The text is normalized: NFKC, case-folded, curly apostrophes straightened, contractions
 *    expanded ("don't" → "do not", "cant" → "can not"), common SMS spellings mapped ("pls",
 *    "u", "txt", "msg", "#"), stretched letters squashed ("stoooop" → "stop"), and split into
 *    clauses at sentence punctuation and commas ("wrong number, stop" → "wrong number" | "stop").
 * 3. Each rule's pattern is matched against each clause. Flags on a rule then look at the words
 *    before the match in the same clause:
 *    - `negatable`: "not"/"never" within 3 words before cancels the match ("don't stop texting
 *      me", "can't stop smiling"); after "if"/"unless"/"why" it becomes ambiguous instead
 *      ("why can't you stop texting me").
 *    - `hedgeable`: "if", "whether", "should I", "reply" before the match turns a revocation into
 *      ambiguous ("what happens if I unsubscribe", "do I reply stop to opt out?").
 *    - `subjectSensitive`: a pronoun right before ("you never text me") turns it ambiguous:
 *      that is a statement about texting, not an instruction.
 * 4. Any revoking match wins; otherwise any ambiguous match; otherwise none.
 *
 * Known limits (documented, not bugs): no sarcasm detection; "wrong number stop" without a comma
 * is only ambiguous (a person sees it); "stop texting" revokes whoever the object is ("did you
 * stop texting her?" revokes: over-honouring is the chosen failure mode); English only.
 */

import { classifyKeyword, normalizeKeywordText } from "./keywords.js";

export type RevocationVerdict = "revoke" | "ambiguous" | "none";

export interface RevocationAnalysis {
  readonly verdict: RevocationVerdict;
  /** The normalized words that triggered the verdict (absent for "none"). */
  readonly matched?: string;
  /** Id of the rule in {@link REVOCATION_RULES} that matched, or "keyword" (absent for "none"). */
  readonly rule?: string;
}

export interface RevocationRule {
  readonly id: string;
  readonly verdict: "revoke" | "ambiguous";
  readonly description: string;
  /** Matched against a normalized clause (lower-case words separated by single spaces). */
  readonly pattern: RegExp;
  /** A negation shortly before cancels the match (see module comment). */
  readonly negatable?: boolean;
  /** With `negatable`: "can not"/"could not" before it is inability, not negation ("I can't unsubscribe"). */
  readonly inabilityIsIntent?: boolean;
  /** A hedge ("if", "should", "reply" …) before the match makes a revocation ambiguous. */
  readonly hedgeable?: boolean;
  /** A pronoun right before the match makes it ambiguous ("you never text me"). */
  readonly subjectSensitive?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Alternatives are regex fragments over normalized words.

const alt = (...parts: string[]): string => `(?:${parts.join("|")})`;

/** Words that may surround a bare keyword without changing its meaning ("stop please", "ok stop now"). */
const POLITE = alt(
  "please",
  "now",
  "right now",
  "already",
  "immediately",
  "asap",
  "thanks",
  "thank you",
  "ok",
  "okay",
  "just",
  "away",
  "seriously",
  "lol",
  "sir",
  "maam",
  "guys",
  "so",
  "then",
  "again",
  "for real",
  "for good",
  "forever",
  "permanently",
  "hey",
  "hi",
  "yo",
  "and",
  "i said",
  "i mean it",
  "god",
  "omg",
);
/** Objects that may follow a bare stop word ("stop it", "stop all of this"). */
const OBJECT = alt(
  "it",
  "that",
  "this",
  "all",
  "all of it",
  "all of this",
  "them",
  "these",
  "those",
  "everything",
);
/** Strong opt-out words: on their own (plus POLITE/OBJECT words) they revoke. */
const STRONG = alt(
  "stop",
  "stopall",
  "unsubscribe",
  "unsub",
  "optout",
  "opt out",
  "revoke",
  "cease",
  "desist",
  "cease and desist",
);
/** Weak opt-out words: per-se keywords alone, but "cancel it" may be about an appointment. */
const WEAK = alt("cancel", "end", "quit");
const STOP_VERB = alt("stop", "quit", "cease", "halt", "discontinue", "end");
const MSG_VERB = alt(
  "text",
  "message",
  "contact",
  "call",
  "email",
  "sms",
  "bother",
  "spam",
  "harass",
  "pester",
);
const MSG_VERB_ING = alt(
  "texting",
  "messaging",
  "contacting",
  "calling",
  "sending",
  "emailing",
  "bothering",
  "spamming",
  "harassing",
  "pestering",
);
const MSG_NOUN = alt(
  "texts",
  "text messages",
  "messages",
  "sms",
  "sms messages",
  "alerts",
  "notifications",
  "reminders",
  "emails",
  "calls",
  "updates",
  "promos",
  "promotions",
  "ads",
  "offers",
  "spam",
  "newsletters",
  "marketing",
  "solicitations",
);
/** Words between a stop verb and a message noun ("stop all of these stupid texts"). */
const DET = alt(
  "all",
  "the",
  "these",
  "those",
  "your",
  "any",
  "this",
  "that",
  "of",
  "more",
  "further",
  "future",
  "automated",
  "marketing",
  "promotional",
  "text",
  "sms",
  "with",
  "my",
  "damn",
  "stupid",
  "annoying",
  "freaking",
  "fucking",
  "political",
  "campaign",
);
const ME = alt(
  "me",
  "us",
  "this number",
  "this phone",
  "this phone number",
  "my number",
  "my phone",
  "my cell",
  "my phone number",
  "my cell number",
);
const MY_DATA = alt(
  "my number",
  "my phone number",
  "my cell",
  "my cell number",
  "this number",
  "this phone number",
  "my info",
  "my information",
  "my contact info",
  "my details",
  "my data",
  "my name",
);
const LIST = alt(
  "list",
  "lists",
  "database",
  "contacts",
  "contact list",
  "roster",
  "system",
  "texts",
  "messages",
  "texting list",
  "text list",
  "mailing list",
  "sms list",
  "distribution list",
  "call list",
  "calling list",
  "marketing list",
);
const LIST_DET = alt("the", "this", "that", "your", "all", "these", "those", "of", "any", "every", "future");

/** Wraps a fragment so it matches whole words only; global so every occurrence is checked. */
const words = (fragment: string): RegExp => new RegExp(`(?<=^| )${fragment}(?= |$)`, "g");
/** A fragment that must be the whole clause. */
const whole = (fragment: string): RegExp => new RegExp(`^${fragment}$`, "g");

// ---------------------------------------------------------------------------------------------
// THE rules. Order does not matter: a revoking match anywhere beats an ambiguous one.

export const REVOCATION_RULES: readonly RevocationRule[] = [
  // --- revoke -------------------------------------------------------------------------------
  {
    id: "bare-stop-word",
    verdict: "revoke",
    description:
      "a strong opt-out word alone with courtesy words: 'stop please', 'ok stop now', 'stop it', 'I said stop'",
    pattern: whole(`(?:${POLITE} )*${STRONG}(?: (?:${POLITE}|${OBJECT}|${STRONG}))*`),
  },
  {
    id: "bare-remove",
    verdict: "revoke",
    description: "'remove' alone: 'Remove', 'remove please'",
    pattern: whole(`(?:${POLITE} )*(?:remove|delete)(?: ${POLITE})*`),
  },
  {
    id: "bare-no-more",
    verdict: "revoke",
    description: "'no more' alone: 'No more!', 'no more please'",
    pattern: whole(`(?:${POLITE} )*no more(?: ${POLITE})*`),
  },
  {
    id: "stop-contacting",
    verdict: "revoke",
    description: "stop + messaging verb: 'stop texting me', 'please stop sending', 'quit messaging me'",
    pattern: words(`${STOP_VERB}(?: (?:all|the|this|these|your|with))* ${MSG_VERB_ING}`),
    negatable: true,
    hedgeable: true,
  },
  {
    id: "stop-receiving",
    verdict: "revoke",
    description: "'how do I stop getting these', 'I want to stop receiving texts'",
    pattern: words(`${alt("stop", "quit", "cease")} ${alt("getting", "receiving")}`),
    negatable: true,
    hedgeable: true,
  },
  {
    id: "stop-messages",
    verdict: "revoke",
    description: "stop + message noun: 'stop these texts', 'no more messages', 'end the reminders'",
    pattern: words(`(?:${STOP_VERB}|no more)(?: ${DET}){0,4} ${MSG_NOUN}`),
    negatable: true,
    hedgeable: true,
  },
  {
    id: "do-not-contact",
    verdict: "revoke",
    description:
      "'don't text me again', 'do not text me', 'never contact me', 'do not call or text this number'",
    pattern: words(`(?:do not|never)(?: ever| again)? ${MSG_VERB}(?: (?:or|and|nor) ${MSG_VERB})* ${ME}`),
    subjectSensitive: true,
  },
  {
    id: "told-not-to-contact",
    verdict: "revoke",
    description: "'I told you not to text me', 'asked you not to contact us'",
    pattern: words(`not to ${MSG_VERB}(?: (?:or|and) ${MSG_VERB})* ${ME}`),
  },
  {
    id: "do-not-send",
    verdict: "revoke",
    description: "'don't send me any more texts'",
    pattern: words(`(?:do not|never) send(?: me| us)?(?: (?:any more|anymore|${DET})){0,4} ${MSG_NOUN}`),
    subjectSensitive: true,
  },
  {
    id: "do-not-want",
    verdict: "revoke",
    description:
      "'I don't want these texts', 'I no longer wish to receive messages', 'don't want to be contacted'",
    pattern: words(
      `(?:do not|no longer|never) ${alt("want", "wish", "need")}` +
        `(?: to ${alt("get", "receive", "be getting", "be receiving")})?(?: (?:any more|anymore|${DET})){0,4} ${MSG_NOUN}` +
        `|(?:do not|no longer) ${alt("want", "wish")} to be ${alt("texted", "messaged", "contacted", "called", "emailed")}`,
    ),
  },
  {
    id: "remove-me",
    verdict: "revoke",
    description: "'remove me', 'please remove me from this list', 'delete my number', 'lose my number'",
    pattern: words(
      `${alt("remove", "delete", "erase")} ${alt("me", "us", MY_DATA)}|${alt("lose", "forget")} ${MY_DATA}`,
    ),
    negatable: true,
    hedgeable: true,
  },
  {
    id: "take-me-off",
    verdict: "revoke",
    description: "'take me off your list', 'take me off', 'get me off your texting list'",
    pattern: words(
      `take ${alt("me", "us", MY_DATA)} off` +
        `|${alt("take", "drop", "scratch", "cross", "get", "pull")} ${alt("me", "us", MY_DATA)} ${alt("off", "out of", "from", "off of")}(?: ${LIST_DET})* ${LIST}` +
        `|${alt("remove", "take", "delete")} ${alt("from", "off", "off of")}(?: ${LIST_DET})* ${LIST}`,
    ),
    negatable: true,
    hedgeable: true,
  },
  {
    id: "unsubscribe-mention",
    verdict: "revoke",
    description:
      "'unsubscribe me', 'I want to opt out', 'opt me out', 'I already unsubscribed', 'I can't unsubscribe'",
    pattern: words(
      alt(
        "unsubscribe",
        "unsubscribed",
        "unsubscribing",
        "unsub",
        "un subscribe",
        "opt out",
        "opted out",
        "opting out",
        "optout",
        "opt me out",
        "opt us out",
        "sign me off",
        "sign me out",
        "revoke my consent",
        "withdraw my consent",
        "revoke consent",
      ),
    ),
    negatable: true,
    inabilityIsIntent: true,
    hedgeable: true,
  },
  {
    id: "leave-me-alone",
    verdict: "revoke",
    description:
      "dismissals whose plain meaning is 'stop contacting me': 'leave me alone', 'go away', 'f off'",
    pattern: words(
      alt(
        "leave me alone",
        "leave us alone",
        "go away",
        "get lost",
        "fuck off",
        "f off",
        "piss off",
        "bugger off",
        "buzz off",
        "screw off",
        "back off",
        "get off my phone",
      ),
    ),
    negatable: true,
  },
  {
    id: "threat-if-continue",
    verdict: "revoke",
    description: "'if you don't stop texting me …', 'if you text me again …', 'if you keep texting me …'",
    pattern: words(
      `if (?:you|they) ` +
        alt(
          `(?:do not|will not) stop`,
          `(?:keep|continue)(?: to)? ${alt(MSG_VERB, MSG_VERB_ING)}`,
          `${MSG_VERB} ${ME} again`,
        ),
    ),
  },

  // --- ambiguous: flag for a person ----------------------------------------------------------
  {
    id: "bare-weak-keyword",
    verdict: "ambiguous",
    description: "'cancel it', 'end please': could be about an appointment or order",
    pattern: whole(`(?:${POLITE} )*${WEAK}(?: (?:${POLITE}|${OBJECT}))*`),
  },
  {
    id: "not-interested",
    verdict: "ambiguous",
    description: "'not interested', 'no thanks'",
    pattern: words(alt("not interested", "no thanks", "no thank you", "not for me", "no interest")),
  },
  {
    id: "wrong-number",
    verdict: "ambiguous",
    description: "'wrong number', 'you have the wrong person'",
    pattern: words(
      `wrong ${alt("number", "person", "guy", "girl", "phone")}|you have the wrong|not the right ${alt("number", "person")}`,
    ),
  },
  {
    id: "why-texting",
    verdict: "ambiguous",
    description: "'why do you keep texting me', 'why am I getting these'",
    pattern: words(
      `why(?: [^ ]+){0,6} ${alt(MSG_VERB, MSG_VERB_ING, "texts", "messages", "texted", "messaged", "contacted", "getting these", "receiving these")}`,
    ),
  },
  {
    id: "spam-complaint",
    verdict: "ambiguous",
    description: "'this is spam', 'scam'",
    pattern: words(
      alt(
        "spam",
        "spammer",
        "spamming",
        "scam",
        "scammer",
        "scammers",
        "scamming",
        "harassment",
        "phishing",
        "fraud",
      ),
    ),
  },
  {
    id: "how-did-you-get-my-number",
    verdict: "ambiguous",
    description: "'how did you get my number', 'who gave you my number'",
    pattern: words(
      `${alt("how", "where")} did ${alt("you", "they")} get ${alt("my", "this")} ${alt("number", "info", "information", "contact")}` +
        `|who gave ${alt("you", "them")} ${alt("my", "this")} number`,
    ),
  },
  {
    id: "never-signed-up",
    verdict: "ambiguous",
    description: "'I never signed up for this', 'I didn't consent'",
    pattern: words(
      `${alt("i", "we")} ${alt("did not", "never")} ${alt(
        "sign up",
        "signed up",
        "subscribe",
        "subscribed",
        "opt in",
        "opted in",
        "ask for",
        "asked for",
        "agree",
        "agreed",
        "consent",
        "consented",
      )}`,
    ),
  },
  {
    id: "too-many",
    verdict: "ambiguous",
    description: "'too many texts', 'text me less'",
    pattern: words(
      `${alt("too many", "so many", "fewer", "less")} ${alt("texts", "messages")}|${alt("text", "message", "texting", "messaging")} me less`,
    ),
  },
  {
    id: "dislike-messages",
    verdict: "ambiguous",
    description: "'I hate these texts', 'sick of your messages'",
    pattern: words(`${alt("hate", "sick of", "tired of", "fed up with")}(?: ${DET}){0,4} ${MSG_NOUN}`),
  },
  {
    id: "block-or-report",
    verdict: "ambiguous",
    description: "'I'm blocking this number', 'reporting you'",
    pattern: words(
      `${alt("block", "blocking", "blocked")} ${alt("you", "this number", "your number", "this", "the number", "this sender")}` +
        `|${alt("report", "reporting")} ${alt("you", "this", "this number")}`,
    ),
  },
  {
    id: "cancel-subscription",
    verdict: "ambiguous",
    description: "'cancel my subscription': may be about a product, not the texts",
    pattern: words(
      `${alt("cancel", "end")} ${alt("my", "the", "this")} ${alt("subscription", "membership")}`,
    ),
  },
  {
    id: "enough",
    verdict: "ambiguous",
    description: "'enough', 'shut up', 'I'm done'",
    pattern: whole(
      `(?:${POLITE} )*${alt("enough", "enough already", "shut up", "i am done")}(?: ${POLITE})*`,
    ),
  },
];

// ---------------------------------------------------------------------------------------------
// Normalization

/** Token rewrites: contractions without apostrophes and common SMS spellings. */
const TOKEN_MAP: Readonly<Record<string, string>> = {
  dont: "do not",
  doesnt: "does not",
  didnt: "did not",
  cant: "can not",
  cannot: "can not",
  wont: "will not",
  wouldnt: "would not",
  shouldnt: "should not",
  couldnt: "could not",
  isnt: "is not",
  arent: "are not",
  wasnt: "was not",
  werent: "were not",
  havent: "have not",
  hasnt: "has not",
  aint: "is not",
  neednt: "need not",
  mustnt: "must not",
  im: "i am",
  pls: "please",
  plz: "please",
  plse: "please",
  pleas: "please",
  pleez: "please",
  u: "you",
  ur: "your",
  r: "are",
  txt: "text",
  txts: "texts",
  txting: "texting",
  msg: "message",
  msgs: "messages",
  msging: "messaging",
  thx: "thanks",
  thnx: "thanks",
  ty: "thank you",
  k: "ok",
  kk: "ok",
  "#": "number",
  num: "number",
};

const APOSTROPHES = /[\u2018\u2019\u201B\u02BC\u2032`\u00B4]/g;
const CLAUSE_BREAKS = /[.!?;:,\n\r()[\]{}"\u201C\u201D\u2026]+|\s[-\u2013\u2014]+\s/u;

function normalizeClause(clause: string): string {
  const cleaned = clause
    .replace(/'/g, "")
    .replace(/#/g, " # ")
    .replace(/[^\p{L}\p{N}#\s]+/gu, " ")
    .replace(/(\p{L})\1{2,}/gu, "$1");
  const out: string[] = [];
  for (const token of cleaned.split(/\s+/)) {
    if (token === "") continue;
    out.push(TOKEN_MAP[token] ?? token);
  }
  return out.join(" ");
}

/**
 * Normalized clauses of a message, as the rules see them (exported for tests and for showing a
 * reviewer why a message was flagged).
 */
export function normalizeForRevocation(text: string): string[] {
  const base = text
    .normalize("NFKC")
    .replace(/\p{Cf}/gu, "")
    .toLowerCase()
    .replace(APOSTROPHES, "'");
  return base
    .split(CLAUSE_BREAKS)
    .map(normalizeClause)
    .filter((c) => c !== "");
}

// ---------------------------------------------------------------------------------------------
// Analysis

const NEGATORS = new Set(["not", "never"]);
const CONDITIONALS = new Set(["if", "unless", "why"]);
const HEDGE = /(?:^| )(?:if|whether|reply|replying|should i|should we|what happens)(?= |$)/;
const SUBJECTS = new Set(["i", "you", "he", "she", "they", "we", "it", "who", "people", "nobody", "someone"]);
const NEGATION_WINDOW = 3;

function isNegated(before: readonly string[], inabilityIsIntent: boolean): boolean {
  const start = Math.max(0, before.length - NEGATION_WINDOW);
  for (let i = before.length - 1; i >= start; i--) {
    const w = before[i]!;
    if (!NEGATORS.has(w)) continue;
    if (inabilityIsIntent && w === "not" && (before[i - 1] === "can" || before[i - 1] === "could")) continue;
    return true;
  }
  return false;
}

function verdictFor(rule: RevocationRule, before: readonly string[]): RevocationVerdict {
  let verdict: RevocationVerdict = rule.verdict;
  if (rule.negatable === true && isNegated(before, rule.inabilityIsIntent === true)) {
    if (!before.some((w) => CONDITIONALS.has(w))) return "none";
    verdict = "ambiguous";
  }
  if (verdict === "revoke" && rule.hedgeable === true && HEDGE.test(before.join(" "))) verdict = "ambiguous";
  const last = before[before.length - 1];
  if (verdict === "revoke" && rule.subjectSensitive === true && last !== undefined && SUBJECTS.has(last)) {
    verdict = "ambiguous";
  }
  return verdict;
}

/**
 * Decides whether a free-text inbound message revokes consent (see the module comment). Pure and
 * fast (a few dozen regex tests per clause); call it for every inbound message that
 * `classifyKeyword` did not classify, or for all of them: exact opt-out keywords revoke here too.
 */
export function analyzeRevocation(text: string): RevocationAnalysis {
  if (classifyKeyword(text) === "opt_out") {
    return { verdict: "revoke", matched: normalizeKeywordText(text), rule: "keyword" };
  }
  let ambiguous: RevocationAnalysis | undefined;
  for (const clause of normalizeForRevocation(text)) {
    for (const rule of REVOCATION_RULES) {
      for (const m of clause.matchAll(rule.pattern)) {
        const before = clause.slice(0, m.index).split(" ").filter(Boolean);
        const verdict = verdictFor(rule, before);
        if (verdict === "revoke") return { verdict, matched: m[0], rule: rule.id };
        if (verdict === "ambiguous") ambiguous ??= { verdict, matched: m[0], rule: rule.id };
      }
    }
  }
  return ambiguous ?? { verdict: "none" };
}
