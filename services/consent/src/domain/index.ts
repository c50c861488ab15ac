/**
 * Pure consent-domain logic (no I/O). The gRPC / Mongo / NATS wiring builds on these exports.
 * See README.md in this folder for the API overview and the decisions made where the law or the
 * spec was silent.
 */

export * from "./decision.js";
export * from "./frequency-cap.js";
export * from "./holidays.js";
export * from "./keywords.js";
export * from "./quiet-hours.js";
export * from "./quiet-hours-rules.js";
export * from "./replies.js";
export * from "./revocation.js";
export { isValidTimeZone, type LocalDateTime, localDateTime, timeZoneOffsetMs } from "./time-zone.js";
