export { analyzeText, isGsm7Char, type SmsEncoding, type TextAnalysis } from "./encoding.js";
export {
  type CountryCode,
  isE164,
  type NormalizedPhone,
  normalizePhone,
  type PhoneError,
  type PhoneErrorCode,
  type PhoneResult,
} from "./phone.js";
