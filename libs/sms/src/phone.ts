import {
  type CountryCode,
  type E164Number,
  Metadata,
  type NumberType,
  ParseError,
  PhoneNumber,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from "libphonenumber-js/max";

export type { CountryCode } from "libphonenumber-js/max";

export type PhoneErrorCode =
  | "empty"
  | "not_a_number"
  | "too_short"
  | "too_long"
  | "invalid_country_code"
  | "invalid_number";

export type NormalizedPhone = {
  ok: true;
  e164: string;
  /** ISO 3166 region libphonenumber assigns (e.g. "US", "PR", "CA"); "001" for non-geographic numbers. */
  country: string;
  /** libphonenumber's number type (e.g. "MOBILE", "FIXED_LINE_OR_MOBILE", "TOLL_FREE") when it can tell. */
  type?: NumberType;
  nationalNumber: string;
};

export type PhoneError = { ok: false; code: PhoneErrorCode; reason: string };

export type PhoneResult = NormalizedPhone | PhoneError;

// Digits, an optional leading "+", and the separators people actually type or paste (including
// Unicode dashes from word processors). Anything else — letters, vanity numbers, "ext.", "tel:" — is
// rejected up front because libphonenumber would otherwise silently keep only the leading digits.
const ALLOWED = /^\+?[0-9\s().\-/\u2010-\u2015\u2212]+$/u;

const E164 = /^\+[1-9][0-9]{1,14}$/;

/**
 * A +1 number already written in E.164 with a 10-digit national number (what dispatch stores and
 * sends to consent). For these, parsing finds nothing to strip or reinterpret: they are checked
 * against +1's main plan, the US's, with its rule compiled once (`compileUsValidity`) — 1 µs
 * instead of 24 for the full parse here. The full parse also tries the US first among the NANP regions
 * (it has no leading-digit rule), so a number valid there is the US's either way. Numbers of other
 * NANP regions, and invalid ones, fail here and take the full parse, which finds their region or
 * names the error. phone.test.ts compares both paths on every area code.
 */
const NANP_E164 = /^\+1[2-9][0-9]{9}$/;

/** The parts of libphonenumber's numbering plan `compileUsValidity` reads (untyped in its API). */
interface PlanInternals {
  nationalNumberPattern(): string;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

/** Every number type of libphonenumber's full metadata (getNumberType.js: fixed line, then the rest). */
const NUMBER_TYPES = [
  "FIXED_LINE",
  "MOBILE",
  "PREMIUM_RATE",
  "TOLL_FREE",
  "SHARED_COST",
  "VOIP",
  "PERSONAL_NUMBER",
  "PAGER",
  "UAN",
  "VOICEMAIL",
];

/**
 * `PhoneNumber.isValid()` for a US national number, with its regular expressions compiled once.
 * The library builds every pattern into a new RegExp on each call (`matchesEntirely`): two thirds
 * of its cost per consent check. The rule is the library's, read from its own metadata: the
 * general pattern matches, and so does the pattern of some number type whose lengths allow the
 * number. Undefined if the metadata is not shaped as read here (a library upgrade): then the
 * library decides, and phone.test.ts says so.
 */
function compileUsValidity(): ((national: string) => boolean) | undefined {
  try {
    const metadata = new Metadata();
    metadata.selectNumberingPlan("US");
    const plan = metadata.numberingPlan as unknown as PlanInternals;
    const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);
    const general = whole(plan.nationalNumberPattern());
    const types = NUMBER_TYPES.flatMap((name) => {
      const t = plan.type(name);
      const pattern = t?.pattern();
      return t && pattern ? [{ re: whole(pattern), lengths: t.possibleLengths() }] : [];
    });
    if (!types.length) return undefined;
    return (national) =>
      general.test(national) &&
      types.some((t) => (!t.lengths || t.lengths.includes(national.length)) && t.re.test(national));
  } catch {
    return undefined;
  }
}

const validUsNational = compileUsValidity();

/** Whether +1 numbers already in E.164 are validated by the compiled rule (phone.test.ts). */
export const US_VALIDITY_COMPILED = validUsNational !== undefined;

function isValidUs(e164: string): boolean {
  return validUsNational ? validUsNational(e164.slice(2)) : new PhoneNumber(e164 as E164Number).isValid();
}

/** Whether `s` is syntactically E.164 (`+` and up to 15 digits). Says nothing about validity. */
export function isE164(s: string): boolean {
  return E164.test(s);
}

/**
 * Normalizes a phone number typed by a person or sent by a partner to E.164.
 * National formats are read in `defaultCountry`; numbers with a leading "+" (or an international
 * dialling prefix such as 011) keep their own country. Only numbers libphonenumber's full metadata
 * considers valid for their region are accepted, so fictional 555-01XX numbers are rejected.
 * `type` is filled in unless `opts.withType` is false.
 */
export function normalizePhone(
  input: string,
  defaultCountry: CountryCode = "US",
  opts: { withType?: boolean } = {},
): PhoneResult {
  const text = input.trim();
  if (NANP_E164.test(text) && isValidUs(text)) {
    return opts.withType === false
      ? { ok: true, e164: text, country: "US", nationalNumber: text.slice(2) }
      : normalized(new PhoneNumber(text as E164Number), opts, "US");
  }
  if (text === "") return fail("empty", "phone number is empty");
  if (!ALLOWED.test(text) || !/[0-9]/.test(text)) {
    return fail("not_a_number", "phone number may contain only digits, a leading +, spaces and ( ) . - /");
  }

  let phone: PhoneNumber;
  try {
    phone = parsePhoneNumberWithError(text, defaultCountry);
  } catch (error) {
    if (error instanceof ParseError) return fromLibraryCode(error.message);
    throw error;
  }

  if (!phone.isPossible()) {
    // The number parsed but has the wrong digit count for its country; say which way it is off.
    return fromLibraryCode(validatePhoneNumberLength(text, defaultCountry) ?? "INVALID_LENGTH");
  }
  if (!phone.isValid()) {
    const where = phone.country ?? `+${phone.countryCallingCode}`;
    return fail("invalid_number", `not a valid number in ${where}`);
  }
  return normalized(phone, opts);
}

function normalized(
  phone: PhoneNumber,
  opts: { withType?: boolean },
  country = phone.country ?? "001",
): NormalizedPhone {
  const result: NormalizedPhone = {
    ok: true,
    e164: phone.number,
    country,
    nationalNumber: phone.nationalNumber,
  };
  // Matching every type pattern costs a fifth of the whole call; hot paths that only need the
  // E.164 form (consent checks, thousands per batch) pass withType: false.
  if (opts.withType === false) return result;
  const type = phone.getType();
  if (type !== undefined) result.type = type;
  return result;
}

function fromLibraryCode(code: string): PhoneError {
  switch (code) {
    case "TOO_SHORT":
      return fail("too_short", "phone number has too few digits (include the area code)");
    case "TOO_LONG":
      return fail("too_long", "phone number has too many digits");
    case "INVALID_COUNTRY":
      return fail("invalid_country_code", "unknown country calling code");
    case "NOT_A_NUMBER":
      return fail("not_a_number", "not a phone number");
    default:
      // INVALID_LENGTH: between the shortest and longest lengths, but not one the country uses.
      return fail("invalid_number", "phone number has a digit count its country does not use");
  }
}

function fail(code: PhoneErrorCode, reason: string): PhoneError {
  return { ok: false, code, reason };
}
