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
  private readonly byTag = new Map<string, SimMessage[]>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.byId.size;
  }

  add(m: SimMessage): void {
    this.byId.set(m.id, m);
    if (m.tag !== undefined) {
      const list = this.byTag.get(m.tag);
      if (list) list.push(m);
      else this.byTag.set(m.tag, [m]);
    }
    if (this.byId.size > this.max) this.evictOldest();
  }

  get(id: string): SimMessage | undefined {
    return this.byId.get(id);
  }

  withTag(tag: string): readonly SimMessage[] {
    return this.byTag.get(tag) ?? [];
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
    const list = this.byTag.get(oldest.tag);
    if (!list) return;
    const i = list.indexOf(oldest);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byTag.delete(oldest.tag);
  }
}
