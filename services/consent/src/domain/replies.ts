import { analyzeText } from "@chorus/sms";
/**
 * Compliance replies: the one opt-out confirmation, HELP answers and the opt-in (START)
 * confirmation. CTIA model texts by default; an org may override each with its own template.
 *
 * Templates use three placeholders: `{program}` (the org's program name), `{helpContact}` (phone,
 * email or URL for help) and `{frequency}` (e.g. "Up to 4 msgs/mo"; default "Msg frequency
 * varies"). Nothing else in braces is allowed.
 *
 * Rules enforced here:
 * - The opt-out confirmation may carry no marketing (47 CFR 64.1200(a)(12)): an org template
 *   for it must not contain a link, and one that does is never used (`renderComplianceReply`
 *   falls back to the default).
 * - A template with any error from {@link validateComplianceTemplate}, or that uses a placeholder
 *   the org has no value for, is not used either: the default is. Rendering never fails for a
 *   bad template, because these replies are on the STOP path.
 *
 * Length: keep replies within 2 SMS segments (306 GSM-7 characters, or 134 characters once any
 * non-GSM character such as an emoji or curly quote forces UCS-2). The defaults with a program
 * name under ~100 characters stay within that; `validateComplianceTemplate` warns when a
 * template would not with typical values. `renderComplianceReply` does not truncate.
 */

export type ComplianceReplyKind = "opt_out_confirmation" | "help" | "opt_in_confirmation";

export interface ComplianceOrgSettings {
  /** Shown as {program}; required and non-blank. */
  readonly programName: string;
  /** Shown as {helpContact}: a phone number, email address or URL. */
  readonly helpContact?: string | undefined;
  /** Shown as {frequency}, e.g. "Up to 4 msgs/mo". Default: "Msg frequency varies". */
  readonly frequency?: string | undefined;
  /** Org overrides of the default templates. */
  readonly templates?: Partial<Record<ComplianceReplyKind, string>> | undefined;
}

/** CTIA-style default texts (REFERENCE.md, "Replies"). */
export const DEFAULT_COMPLIANCE_TEMPLATES: Readonly<Record<ComplianceReplyKind, string>> = {
  opt_out_confirmation:
    "You are unsubscribed from {program}. No more messages will be sent. Reply HELP for help.",
  help: "{program}: Help at {helpContact}. Msg&data rates may apply. {frequency}. Reply STOP to cancel.",
  opt_in_confirmation:
    "{program}: You are re-subscribed. Msg&data rates may apply. Reply HELP for help, STOP to cancel.",
};

/** The HELP default used when the org has no help contact configured. */
export const DEFAULT_HELP_TEMPLATE_WITHOUT_CONTACT =
  "{program}: Msg&data rates may apply. {frequency}. Reply STOP to cancel.";

export const DEFAULT_FREQUENCY = "Msg frequency varies";

export const COMPLIANCE_PLACEHOLDERS = ["program", "helpContact", "frequency"] as const;
export type CompliancePlaceholder = (typeof COMPLIANCE_PLACEHOLDERS)[number];

export interface ComplianceTemplateProblem {
  readonly code:
    | "empty"
    | "unknown_placeholder"
    | "contains_url"
    | "possible_marketing"
    | "missing_program"
    | "missing_help_contact"
    | "missing_stop_instructions"
    | "too_long";
  /** Errors make the template unusable (the default is sent instead); warnings are advice. */
  readonly severity: "error" | "warning";
  readonly message: string;
}

// ---------------------------------------------------------------------------------------------
// Segments

export interface SegmentEstimate {
  readonly encoding: "GSM-7" | "UCS-2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  readonly units: number;
  readonly segments: number;
}

/** SMS segments a text needs, as counted everywhere else in Chorus (@chorus/sms). */
export function estimateSegments(text: string): SegmentEstimate {
  const { encoding, characters, segments } = analyzeText(text);
  return { encoding, units: characters, segments };
}

// ---------------------------------------------------------------------------------------------
// Validation

const PLACEHOLDER = /\{([^{}]*)\}/g;
const URL_PATTERN =
  /\b(?:https?:\/\/|www\.)\S+|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|edu|gov|io|co|us|ly|me|info|biz|app|link|site|online|xyz|gl|to|ai|tv|page|shop|store|vote)\b(?:\/\S*)?/i;
const MARKETING_WORDS =
  /\b(?:sale|discount|\d+% off|promo|coupon|deal|offer|buy|shop|donate|donation|visit|win|free|save|exclusive)\b/i;
const STOP_WORD = /\bSTOP\b/i;

/** Typical values for the length check. */
const SAMPLE_VALUES: Readonly<Record<CompliancePlaceholder, string>> = {
  program: "Example Community Alerts Program",
  helpContact: "help@example.org or 555-555-0100",
  frequency: DEFAULT_FREQUENCY,
};

function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "");
}

function substitute(
  template: string,
  values: Readonly<Partial<Record<CompliancePlaceholder, string>>>,
): string {
  return template.replace(
    PLACEHOLDER,
    (whole, name: string) => values[name as CompliancePlaceholder] ?? whole,
  );
}

/** True when `text` contains something that looks like a link (http(s)://, www., or a bare domain). */
export function containsUrl(text: string): boolean {
  return URL_PATTERN.test(text);
}

/**
 * Problems with an org's template for one kind of compliance reply. Errors make the template
 * unusable (`renderComplianceReply` sends the default instead); warnings are for the admin UI.
 */
export function validateComplianceTemplate(
  kind: ComplianceReplyKind,
  text: string,
): ComplianceTemplateProblem[] {
  const problems: ComplianceTemplateProblem[] = [];
  if (text.trim() === "") {
    return [{ code: "empty", severity: "error", message: "The template is empty." }];
  }
  const used = placeholdersIn(text);
  for (const name of new Set(used)) {
    if (!(COMPLIANCE_PLACEHOLDERS as readonly string[]).includes(name)) {
      problems.push({
        code: "unknown_placeholder",
        severity: "error",
        message: `Unknown placeholder {${name}}; allowed: ${COMPLIANCE_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}.`,
      });
    }
  }
  if (!used.includes("program")) {
    problems.push({
      code: "missing_program",
      severity: "warning",
      message: "The reply should name the program with {program}.",
    });
  }
  if (kind === "opt_out_confirmation") {
    if (containsUrl(text)) {
      problems.push({
        code: "contains_url",
        severity: "error",
        message: "An opt-out confirmation may not contain links: it must carry no marketing.",
      });
    }
    if (MARKETING_WORDS.test(text)) {
      problems.push({
        code: "possible_marketing",
        severity: "warning",
        message: "An opt-out confirmation may carry no marketing; this wording looks promotional.",
      });
    }
  } else if (!STOP_WORD.test(text)) {
    problems.push({
      code: "missing_stop_instructions",
      severity: "warning",
      message: "The reply should say how to opt out (e.g. 'Reply STOP to cancel').",
    });
  }
  if (kind === "help" && !used.includes("helpContact")) {
    problems.push({
      code: "missing_help_contact",
      severity: "warning",
      message: "A HELP reply should say where to get help with {helpContact}.",
    });
  }
  const estimate = estimateSegments(substitute(text, SAMPLE_VALUES));
  if (estimate.segments > 2) {
    problems.push({
      code: "too_long",
      severity: "warning",
      message: `With typical values this reply needs ${estimate.segments} ${estimate.encoding} segments; keep it within 2.`,
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Rendering

function clean(value: string | undefined): string | undefined {
  const v = value?.replace(/\s+/g, " ").trim();
  return v === undefined || v === "" ? undefined : v;
}

/**
 * The text of a compliance reply for an org: its own template for `kind` when usable (no
 * validation errors, every placeholder it uses has a value and, for the opt-out confirmation,
 * no link after substitution), otherwise the CTIA default. Values are trimmed and whitespace
 * collapsed; a trailing period on `frequency` is dropped because the templates add one.
 *
 * @throws RangeError when `programName` is blank (a configuration error the caller must fix).
 */
export function renderComplianceReply(kind: ComplianceReplyKind, orgSettings: ComplianceOrgSettings): string {
  const program = clean(orgSettings.programName);
  if (program === undefined) throw new RangeError("programName must not be blank");
  const helpContact = clean(orgSettings.helpContact);
  const frequency = clean(orgSettings.frequency?.replace(/[.\s]+$/, "")) ?? DEFAULT_FREQUENCY;
  const values: Partial<Record<CompliancePlaceholder, string>> = { program, frequency };
  if (helpContact !== undefined) values.helpContact = helpContact;

  const render = (template: string): string =>
    substitute(template, values)
      .replace(/[ \t]{2,}/g, " ")
      .replace(/(?<!\.)\.\.(?!\.)/g, ".")
      .trim();

  const custom = orgSettings.templates?.[kind];
  if (custom !== undefined && isUsable(kind, custom, values)) {
    const text = render(custom);
    // A link smuggled in through a value (e.g. helpContact) is no better than one in the template.
    if (kind !== "opt_out_confirmation" || !containsUrl(text.split(program).join(" "))) return text;
  }
  if (kind === "help" && helpContact === undefined) return render(DEFAULT_HELP_TEMPLATE_WITHOUT_CONTACT);
  return render(DEFAULT_COMPLIANCE_TEMPLATES[kind]);
}

function isUsable(
  kind: ComplianceReplyKind,
  template: string,
  values: Partial<Record<CompliancePlaceholder, string>>,
): boolean {
  if (validateComplianceTemplate(kind, template).some((p) => p.severity === "error")) return false;
  return placeholdersIn(template).every((name) => values[name as CompliancePlaceholder] !== undefined);
}
