/** Where one recipient's copy of a message stands. Only moves forward. */
export type RecipientStatus = "accepted" | "sending" | "delivered" | "failed" | "received";

const rank: Record<RecipientStatus, number> = {
  accepted: 0,
  sending: 1,
  received: 2,
  delivered: 2,
  failed: 2,
};

export interface Recipient {
  to: string;
  /** Decided when the message is accepted; the callbacks then play it out. */
  outcome: "delivered" | "failed";
  errorCode: number | undefined;
  status: RecipientStatus;
}

export interface SimMessage {
  id: string;
  direction: "out" | "in";
  owner: string;
  applicationId: string;
  /** ISO time the sim accepted (outbound) or received (inbound) the message. */
  time: string;
  segmentCount: number;
  to: string[];
  from: string;
  text: string;
  media: string[] | undefined;
  tag: string | undefined;
  priority: string | undefined;
  expiration: string | undefined;
  recipients: Recipient[];
}

export function advance(r: Recipient, status: RecipientStatus): void {
  if (rank[status] > rank[r.status]) r.status = status;
}

/**
 * Every message the sim has seen, in arrival order, bounded: past `max` the oldest are forgotten.
 * Indexed by id and by tag (reconciliation looks messages up by tag).
 */
export class MessageStore {
  private readonly byId = new Map<string, SimMessage>();
  /** Tags are usually unique (dispatch's own message id), so one message is stored bare. */
  private readonly byTag = new Map<string, SimMessage | SimMessage[]>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.byId.size;
  }

  add(m: SimMessage): void {
    this.byId.set(m.id, m);
    if (m.tag !== undefined) {
      const found = this.byTag.get(m.tag);
      if (found === undefined) this.byTag.set(m.tag, m);
      else if (Array.isArray(found)) found.push(m);
      else this.byTag.set(m.tag, [found, m]);
    }
    if (this.byId.size > this.max) this.evictOldest();
  }

  get(id: string): SimMessage | undefined {
    return this.byId.get(id);
  }

  withTag(tag: string): readonly SimMessage[] {
    const found = this.byTag.get(tag);
    if (found === undefined) return [];
    return Array.isArray(found) ? found : [found];
  }

  all(): IterableIterator<SimMessage> {
    return this.byId.values();
  }

  clear(): void {
    this.byId.clear();
    this.byTag.clear();
  }

  private evictOldest(): void {
    const oldest = this.byId.values().next().value;
    if (!oldest) return;
    this.byId.delete(oldest.id);
    if (oldest.tag === undefined) return;
    const found = this.byTag.get(oldest.tag);
    if (found === oldest) {
      this.byTag.delete(oldest.tag);
    } else if (Array.isArray(found)) {
      const i = found.indexOf(oldest);
      if (i >= 0) found.splice(i, 1);
      if (found.length === 1) this.byTag.set(oldest.tag, found[0]!);
    }
  }
}
