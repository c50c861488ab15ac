import { type Collection, type Db, isDuplicateKeyError, TenantCollection } from "@chorus/chassis/mongo";
import { newId, newSecret } from "../ids.js";

export const WEBHOOK_EVENT_TYPES = [
  "message.status",
  "message.inbound",
  "consent.changed",
  "campaign.finished",
] as const;
const SUBSCRIBER_CACHE_MS = 1_000;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface Subscription {
  id: string;
  orgId: string;
  url: string;
  events: WebhookEventType[];
  createdAt: string;
}

interface SubscriptionDoc {
  _id: string;
  orgId: string;
  url: string;
  events: WebhookEventType[];
  secret: string;
  createdAt: string;
  deletedAt: string | null;
}

export type DeliveryState = "pending" | "delivered" | "failed";

export interface Delivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: WebhookEventType;
  state: DeliveryState;
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

interface DeliveryDoc extends Omit<Delivery, "id"> {
  _id: string;
  orgId: string;
  /** The exact JSON body (signed as is, so every retry carries the same bytes). */
  body: string;
}

/**
 * The due-delivery queue. Deliveries are tenant data (TenantCollection); the worker needs "what is
 * due across all orgs", so this small queue holds only ids, org and times — no tenant content — and
 * the worker then reads the delivery in its org's scope.
 */
interface DueDoc {
  _id: string;
  orgId: string;
  dueAt: Date;
  leaseUntil: Date;
}

const toSub = (d: SubscriptionDoc): Subscription => ({
  id: d._id,
  orgId: d.orgId,
  url: d.url,
  events: d.events,
  createdAt: d.createdAt,
});

const toDelivery = ({ _id, orgId: _o, body: _b, ...rest }: DeliveryDoc): Delivery => ({ id: _id, ...rest });

export class WebhookRepository {
  readonly #subs: TenantCollection<SubscriptionDoc>;
  readonly #deliveries: TenantCollection<DeliveryDoc>;
  readonly #due: Collection<DueDoc>;
  readonly #subscriberCache = new Map<string, { subs: Subscription[]; until: number }>();

  constructor(db: Db) {
    this.#subs = new TenantCollection<SubscriptionDoc>(db, "webhook_subscriptions");
    this.#deliveries = new TenantCollection<DeliveryDoc>(db, "webhook_deliveries");
    this.#due = db.collection<DueDoc>("webhook_due");
  }

  async init() {
    await this.#subs.ensureIndexes([{ key: { orgId: 1, _id: 1 }, name: "org_id" }]);
    await this.#deliveries.ensureIndexes([{ key: { orgId: 1, subscriptionId: 1, _id: 1 }, name: "org_sub" }]);
    await this.#due.createIndexes([{ key: { dueAt: 1 }, name: "due" }]);
  }

  async createSubscription(
    orgId: string,
    input: { url: string; events: WebhookEventType[]; secret?: string | undefined },
  ): Promise<Subscription & { secret: string }> {
    const doc = {
      _id: newId("wh"),
      url: input.url,
      events: [...new Set(input.events)],
      secret: input.secret ?? `whsec_${newSecret(32)}`,
      createdAt: new Date().toISOString(),
      deletedAt: null,
    };
    const full = await this.#subs.insertOne(orgId, doc);
    this.#subscriberCache.delete(orgId);
    return { ...toSub(full), secret: full.secret };
  }

  async listSubscriptions(orgId: string): Promise<Subscription[]> {
    const docs = await this.#subs.find(orgId, { deletedAt: null }).sort({ _id: 1 }).limit(1000).toArray();
    return docs.map(toSub);
  }

  async getSubscription(orgId: string, id: string): Promise<Subscription | null> {
    const d = await this.#subs.findOne(orgId, { _id: id, deletedAt: null });
    return d ? toSub(d) : null;
  }

  async subscriptionWithSecret(
    orgId: string,
    id: string,
  ): Promise<(Subscription & { secret: string }) | null> {
    const d = await this.#subs.findOne(orgId, { _id: id, deletedAt: null });
    return d ? { ...toSub(d), secret: d.secret } : null;
  }

  async deleteSubscription(orgId: string, id: string): Promise<boolean> {
    const r = await this.#subs.updateOne(
      orgId,
      { _id: id, deletedAt: null },
      { $set: { deletedAt: new Date().toISOString() } },
    );
    this.#subscriberCache.delete(orgId);
    return r.matchedCount > 0;
  }

  /**
   * The org's live subscriptions wanting `type`. Cached for `SUBSCRIBER_CACHE_MS` (every status
   * event would otherwise be a query); this replica's own changes invalidate at once, another
   * replica's are seen within the cache time.
   */
  async subscribersOf(orgId: string, type: WebhookEventType): Promise<Subscription[]> {
    const now = Date.now();
    let hit = this.#subscriberCache.get(orgId);
    if (!hit || hit.until <= now) {
      const docs = await this.#subs.find(orgId, { deletedAt: null }).limit(1000).toArray();
      hit = { subs: docs.map(toSub), until: now + SUBSCRIBER_CACHE_MS };
      if (this.#subscriberCache.size > 10_000) this.#subscriberCache.clear();
      this.#subscriberCache.set(orgId, hit);
    }
    return hit.subs.filter((s) => s.events.includes(type));
  }

  /** One delivery per (subscription, event): a redelivered event creates nothing new. */
  async enqueue(
    orgId: string,
    sub: Subscription,
    eventId: string,
    eventType: WebhookEventType,
    body: string,
  ): Promise<void> {
    const id = `${sub.id}:${eventId}`;
    const now = new Date();
    try {
      await this.#deliveries.insertOne(orgId, {
        _id: id,
        subscriptionId: sub.id,
        eventId,
        eventType,
        state: "pending",
        attempts: 0,
        createdAt: now.toISOString(),
        lastAttemptAt: null,
        nextAttemptAt: now.toISOString(),
        deliveredAt: null,
        lastStatusCode: null,
        lastError: null,
        body,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    // Upsert: after a crash between the two writes, the redelivered event queues it.
    const existing = await this.#deliveries.findOne(orgId, { _id: id });
    if (existing?.state === "pending") {
      await this.#due.updateOne(
        { _id: id },
        { $setOnInsert: { orgId, dueAt: now, leaseUntil: new Date(0) } },
        { upsert: true },
      );
    }
  }

  /** Claims one due delivery for `leaseMs` (another worker won't take it meanwhile). */
  async claimDue(leaseMs: number): Promise<{ id: string; orgId: string } | null> {
    const now = new Date();
    const doc = await this.#due.findOneAndUpdate(
      { dueAt: { $lte: now }, leaseUntil: { $lte: now } },
      { $set: { leaseUntil: new Date(now.getTime() + leaseMs) } },
      { sort: { dueAt: 1 }, returnDocument: "after", includeResultMetadata: false },
    );
    return doc ? { id: doc._id, orgId: doc.orgId } : null;
  }

  async deliveryForSend(orgId: string, id: string): Promise<(Delivery & { body: string }) | null> {
    const d = await this.#deliveries.findOne(orgId, { _id: id });
    return d ? { ...toDelivery(d), body: d.body } : null;
  }

  async recordAttempt(
    orgId: string,
    id: string,
    outcome: { ok: boolean; statusCode: number | null; error: string | null; nextAttemptAt: Date | null },
  ): Promise<void> {
    const now = new Date().toISOString();
    const state: DeliveryState = outcome.ok ? "delivered" : outcome.nextAttemptAt ? "pending" : "failed";
    await this.#deliveries.updateOne(
      orgId,
      { _id: id },
      {
        $inc: { attempts: 1 },
        $set: {
          state,
          lastAttemptAt: now,
          lastStatusCode: outcome.statusCode,
          lastError: outcome.error,
          nextAttemptAt: outcome.nextAttemptAt?.toISOString() ?? null,
          ...(outcome.ok ? { deliveredAt: now } : {}),
        },
      },
    );
    if (state === "pending" && outcome.nextAttemptAt) {
      await this.#due.updateOne(
        { _id: id },
        { $set: { dueAt: outcome.nextAttemptAt, leaseUntil: new Date(0) } },
      );
    } else {
      await this.#due.deleteOne({ _id: id });
    }
  }

  async dropDue(id: string) {
    await this.#due.deleteOne({ _id: id });
  }

  async listDeliveries(
    orgId: string,
    subscriptionId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Delivery[]; nextCursor: string | null }> {
    const filter = cursor ? { subscriptionId, _id: { $gt: cursor } } : { subscriptionId };
    const docs = await this.#deliveries
      .find(orgId, filter)
      .sort({ _id: 1 })
      .limit(limit + 1)
      .toArray();
    const page = docs.slice(0, limit);
    return {
      items: page.map(toDelivery),
      nextCursor: docs.length > limit ? (page.at(-1)?._id ?? null) : null,
    };
  }
}
