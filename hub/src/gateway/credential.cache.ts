/** What a cached verification remembers of the cluster. */
export interface VerifiedCredential {
  /** SHA-256 of the credential secret, as stored. */
  hash: string;
  name: string;
}

/** Taken before a database lookup, so that a lookup racing with a revocation or an outage is not cached. */
export interface LookupTicket {
  readonly epoch: number;
  readonly subscription: number | undefined;
}

/**
 * Credentials verified against PostgreSQL, trusted only while this replica
 * hears revocation events: the whole cache belongs to one event-bus
 * subscription and is dropped when it ends (Redis unreachable: nothing is
 * cached, every call checks PostgreSQL) and when a new one begins (events of
 * the outage may have been missed). Within a subscription an entry dies on
 * its cluster's revocation event or after the TTL. Pure: the caller passes
 * the subscription (`ClusterEventBus.subscription`) and the clock.
 */
export class CredentialCache {
  private readonly entries = new Map<string, VerifiedCredential & { expiresAt: number }>();
  private subscription: number | undefined;
  /** Bumped by every revocation and every change of subscription. */
  private epoch = 0;

  constructor(private readonly ttlMs: number) {}

  get(clusterId: string, subscription: number | undefined, now: number): VerifiedCredential | undefined {
    this.follow(subscription);
    const entry = this.entries.get(clusterId);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  ticket(subscription: number | undefined): LookupTicket {
    this.follow(subscription);
    return { epoch: this.epoch, subscription };
  }

  /** Keeps a lookup's result if nothing it depends on changed since its ticket was taken. */
  set(clusterId: string, value: VerifiedCredential, ticket: LookupTicket, subscription: number | undefined, now: number): void {
    this.follow(subscription);
    if (subscription === undefined || ticket.subscription !== subscription || ticket.epoch !== this.epoch) return;
    this.entries.set(clusterId, { ...value, expiresAt: now + this.ttlMs });
  }

  /** The cluster's credential was revoked or replaced. */
  revoked(clusterId: string): void {
    this.epoch++;
    this.entries.delete(clusterId);
  }

  get size(): number {
    return this.entries.size;
  }

  private follow(subscription: number | undefined): void {
    if (subscription === this.subscription) return;
    this.subscription = subscription;
    this.epoch++;
    this.entries.clear();
  }
}
