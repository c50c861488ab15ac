import { DomainError } from "@chorus/chassis/errors";
import type { ComplianceReplyRequestedEvent } from "@chorus/chassis/events";
import type { Logger } from "@chorus/chassis/log";
import type { HandlerResult } from "@chorus/chassis/nats";
import type { Acceptor } from "./accept.js";

/**
 * Consent authorized one compliance reply: send it, exactly once (idempotency key
 * `compliance:<inboundId>`, so a redelivered event finds the first message).
 */
export function createComplianceHandler(d: { acceptor: Acceptor; log: Logger }) {
  return async function handle(e: ComplianceReplyRequestedEvent): Promise<HandlerResult> {
    try {
      const r = await d.acceptor.acceptOne(e.orgId, {
        to: e.to,
        from: e.from,
        text: e.text,
        purpose: "compliance",
        complianceAuthorizationId: e.authorizationId,
        idempotencyKey: `compliance:${e.inboundId}`,
      });
      d.log.info(
        { messageId: r.message._id, kind: e.kind, duplicate: r.duplicate },
        "compliance reply accepted",
      );
      return "ack";
    } catch (err) {
      if (err instanceof DomainError && err.kind !== "unavailable" && err.kind !== "aborted") {
        d.log.error(
          { code: err.code, inboundId: e.inboundId, kind: e.kind },
          "compliance reply refused: not sent",
        );
        return "term";
      }
      throw err;
    }
  };
}
