/**
 * Bandwidth messaging error codes the sim can report in `message-failed` callbacks, with the
 * `description` string Bandwidth puts in the callback (Bandwidth's error-code table, "Description"
 * column). Any other code in 4000–9999 is accepted too and reported as "unknown-error".
 */
export const errorDescriptions: Readonly<Record<number, string>> = {
  4301: "malformed-invalid-encoding",
  4302: "malformed-invalid-from-number",
  4303: "malformed-invalid-to-number",
  4360: "message-not-sent-expiration-date-passed",
  4403: "rejected-forbidden-from-number",
  4404: "rejected-forbidden-to-number",
  4405: "rejected-unallocated-from-number",
  4406: "rejected-unallocated-to-number",
  4470: "rejected-spam-detected",
  4481: "rejected-from-number-in-blacklist",
  4482: "rejected-to-number-in-blacklist",
  4700: "invalid-service-type",
  4701: "destination-service-unavailable",
  4702: "destination-subscriber-unavailable",
  4720: "invalid-destination-address",
  4721: "destination-tn-deactivated",
  4730: "no-route-to-destination-carrier",
  4750: "destination-rejected-message",
  4770: "destination-spam-detected",
  4775: "destination-rejected-due-to-user-opt-out",
  4780: "p2p-volume-violation",
  4795: "tfn-not-verified",
  5100: "temporary-app-error",
  5500: "message-send-failed",
  5600: "destination-carrier-queue-full",
  5620: "destination-app-error",
  5650: "destination-failed",
  9902: "delivery-receipt-expired",
  9999: "unknown-error",
};

export function describeErrorCode(code: number): string {
  return errorDescriptions[code] ?? "unknown-error";
}
