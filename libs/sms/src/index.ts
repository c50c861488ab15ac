export { analyzeText, isGsm7Char, type SmsEncoding, type TextAnalysis } from "./encoding.js";
export {
  lookupNanp,
  NANP_TABLE_SOURCE,
  type NanpCountry,
  type NanpLocation,
  nanpAreaCodes,
  zonesForRegion,
} from "./nanp.js";
export {
  type CountryCode,
  isE164,
  type NormalizedPhone,
  normalizePhone,
  type PhoneError,
  type PhoneErrorCode,
  type PhoneResult,
} from "./phone.js";
