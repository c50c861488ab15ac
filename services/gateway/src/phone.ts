import { normalizePhone } from "@chorus/sms";
import { HttpProblem } from "./problem.js";

/** E.164 for a partner-supplied number, or 400 `invalid_phone` saying what is wrong with it. */
export function e164OrThrow(input: string, field: string): string {
  const r = normalizePhone(input, "US", { withType: false });
  if (r.ok) return r.e164;
  throw new HttpProblem(400, "invalid_phone", `${field}: ${r.reason}`, { field, reason: r.code });
}
