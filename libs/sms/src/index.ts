export { isE164, normalizePhone } from "./phone.js";
