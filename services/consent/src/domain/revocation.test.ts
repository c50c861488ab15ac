import { describe, expect, it } from "vitest";
import { analyzeRevocation, normalizeForRevocation, REVOCATION_RULES } from "./revocation.js";

const REVOKE: readonly string[] = [
  "stop texting me",
  "please remove me from this list",
  "unsubscribe me",
  "don't text me again",
  "do not text me",
  "take me off your list",
  "stop messaging me",
  "no more texts",
  "leave me alone",
  "I want to opt out",
  "STOP!!!",
  "Stop please",
  "stop it",
  "remove me",
  "wrong number, stop",
  "Please stop sending me these messages",
  "Stop contacting me.",
  "can you stop texting me?",
  "how do I stop getting these texts",
  "Opt me out",
  "I want to unsubscribe",
  "pls stop txting me",
  "Don\u2019t text me anymore",
  "dont message me again",
  "delete my number",
  "remove my number from your list",
  "I do not want these texts",
  "I don't want to receive any more messages",
  "I no longer wish to receive these messages",
  "stop, stop, stop",
  "Stop. Who is this?",
  "Quit texting me",
  "I already unsubscribed, why are you still texting?",
  "If you don't stop texting me I'm calling my lawyer",
  "if you text me again I will report you",
  "take me off",
  "\uFF33\uFF34\uFF2F\uFF30 \uFF34\uFF25\uFF38\uFF34\uFF29\uFF2E\uFF27 \uFF2D\uFF25",
  "Stop the reminders please",
  "never contact me again",
  "Remove from list",
  "go away",
  "cease and desist",
  "STOP NOW",
  "stop all",
  "Hey, please unsubscribe me from all of these, thanks",
  "I said STOP",
  "stoooop",
  "ok stop now",
  "I told you not to text me",
  "Do not call or text this number",
  "I can't unsubscribe, the link doesn't work",
  "lose my number",
  "please stop with the texts",
  "Get me off your texting list",
  "Don't send me any more texts",
  "I don't want to be contacted",
  "why are you still texting me? stop",
  "stop 🛑",
  "You should stop texting me",
];

const NOT_REVOKE: readonly string[] = [
  "Please don't stop texting me",
  "don't stop",
  "I can't stop smiling",
  "when does the bus stop?",
  "Stop by the office at 5",
  "keep texting me",
  "can you remove the fee?",
  "Who is this?",
  "Thanks!",
  "Yes",
  "What time does the event end?",
  "I'll stop by later",
  "The bus stop on Main St is closed",
  "I can't stop laughing 😂",
  "Don't stop the music",
  "please keep sending me updates",
  "Can you remove the late fee from my account?",
  "I need to cancel my appointment",
  "I quit smoking last year!",
  "Never stop!",
  "Can't stop, won't stop",
  "Please do not unsubscribe me",
  "I don't want to stop getting these",
  "Love these texts, never stop sending them",
  "Where is the nearest stop?",
  "Stop sign at 5th and Main is down",
  "How do I sign up for more texts?",
  "Send me more info",
  "What's the end date?",
  "Can you take me to the meeting?",
  "Please remove the old address and use the new one",
  "Remove John from the carpool, he moved",
  "On my way, will stop at the store",
  "Nonstop fun this weekend!",
  "That movie was unstoppable",
  "HELP",
  "START",
  "Don't remove me from the list!",
  "You never stop surprising me",
  "Stop making excuses and vote!",
  "End of the month works for me",
  "Can you send the texts earlier?",
  "I don't want to miss any texts",
  "Drop me a line when you're free",
  "Take me out to dinner sometime",
];

const AMBIGUOUS: readonly string[] = [
  "not interested",
  "No thanks",
  "why do you keep texting me?",
  "this is spam",
  "wrong number",
  "You have the wrong number",
  "I never signed up for this",
  "how did you get my number?",
  "too many texts",
  "cancel please",
  "end it",
  "What happens if I unsubscribe?",
  "I'm going to block this number",
  "you never text me back",
  "why won't you stop texting me",
  "wrong number stop",
  "cancel my subscription",
  "Should I unsubscribe?",
  "Do I reply STOP to opt out?",
  "enough already",
  "I hate these texts",
];

describe("analyzeRevocation", () => {
  it("has the required breadth of examples", () => {
    expect(REVOKE.length).toBeGreaterThanOrEqual(30);
    expect(NOT_REVOKE.length).toBeGreaterThanOrEqual(30);
  });

  it.each(REVOKE)("revokes: %s", (text) => {
    const result = analyzeRevocation(text);
    expect(result.verdict).toBe("revoke");
    expect(result.matched).toBeTruthy();
    expect(result.rule).toBeTruthy();
  });

  it.each(NOT_REVOKE)("does not revoke and does not flag: %s", (text) => {
    expect(analyzeRevocation(text)).toEqual({ verdict: "none" });
  });

  it.each(AMBIGUOUS)("flags for a person: %s", (text) => {
    expect(analyzeRevocation(text).verdict).toBe("ambiguous");
  });

  it("reports the rule and the words that matched", () => {
    expect(analyzeRevocation("Please stop texting me!")).toEqual({
      verdict: "revoke",
      matched: "stop texting",
      rule: "stop-contacting",
    });
    expect(analyzeRevocation("STOP")).toEqual({ verdict: "revoke", matched: "stop", rule: "keyword" });
    expect(analyzeRevocation("wrong number")).toMatchObject({
      rule: "wrong-number",
      matched: "wrong number",
    });
  });

  it("a negated stop cancels only that occurrence", () => {
    expect(analyzeRevocation("don't stop texting me").verdict).toBe("none");
    expect(analyzeRevocation("I don't care, stop texting me").verdict).toBe("revoke");
  });

  it("prefers revoke over ambiguous within one message", () => {
    expect(analyzeRevocation("wrong number, stop")).toMatchObject({ verdict: "revoke", matched: "stop" });
    expect(analyzeRevocation("This is spam. Remove me.")).toMatchObject({
      verdict: "revoke",
      rule: "remove-me",
    });
  });

  it("handles empty and whitespace-only input", () => {
    expect(analyzeRevocation("")).toEqual({ verdict: "none" });
    expect(analyzeRevocation("   \n ")).toEqual({ verdict: "none" });
  });

  it("normalizes contractions, SMS spellings and clauses", () => {
    expect(normalizeForRevocation("Pls DON\u2019T txt me, u r annoying!!")).toEqual([
      "please do not text me",
      "you are annoying",
    ]);
    expect(normalizeForRevocation("opt-out")).toEqual(["opt out"]);
    expect(normalizeForRevocation("wrong #")).toEqual(["wrong number"]);
  });

  it("rule ids are unique and every rule documents itself", () => {
    const ids = REVOCATION_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of REVOCATION_RULES) {
      expect(rule.description.length).toBeGreaterThan(0);
      expect(rule.pattern.global).toBe(true);
    }
  });
});
