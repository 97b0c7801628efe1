import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { HubMetrics } from '../metrics/metrics.js';
import { withTimeout } from '../timeout/with-timeout.js';
import { RedisOutage } from './redis-outage.js';

/** Liveness probe: every connection that looks ready is PINGed this often (ms)... */
export const PROBE_INTERVAL_MS = 5000;
/** ...must answer within this (ms)... */
export const PROBE_TIMEOUT_MS = 1000;
/** ...and counts as hung after this many misses in a row (one miss can be this process's own busy event loop). */
export const PROBE_MISSES = 2;

/** Anything that emits BullMQ's 'error' event (Queue, Worker, QueueEvents). */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** BullMQ's `close(force)`: a forced close of a Worker does not wait for its jobs and blocking reads. */
  close(force?: boolean): Promise<void>;
}

/**
 * Whether this replica can use Redis right now, for the callers that must not
 * wait for it (`up`), and the one place Redis connection trouble is logged:
 * one line when an outage begins and one when it ends, with its duration,
 * instead of ioredis's "Unhandled error event" per connection and attempt.
 * Also exported as the gauge `flotilla_redis_up`.
 *
 * A connection is up when ioredis says it is ready and it answered its last
 * liveness PING (a Redis that keeps connections open but stops answering —
 * stuck, overloaded, packets dropped — is an outage too, found within
 * PROBE_MISSES × PROBE_INTERVAL_MS + PROBE_TIMEOUT_MS, about 11 s).
 *
 * The state comes from the hub's own connections (commands and pub/sub);
 * BullMQ's connections go to the same Redis, so their connection errors are
 * part of the same outage and not logged again.
 */
@Injectable()
export class RedisHealth implements OnModuleInit, BeforeApplicationShutdown, OnModuleDestroy {
  private readonly logger = new Logger('Redis');
  private readonly clients = new Map<string, Redis>();
  private readonly outage = new RedisOutage();
  /** First connection error since all connections were last ready. */
  private failure: string | undefined;
  private stopped = false;
  private readonly recoveryListeners = new Set<() => void>();
  /** Roles whose last liveness PING did not answer in time. */
  private readonly hung = new Set<string>();
  private readonly misses = new Map<string, number>();
  private probe: NodeJS.Timeout | undefined;
  private readonly bullmq: ErrorEmitter[] = [];

  constructor(@Inject(HubMetrics) private readonly metrics: HubMetrics) {}

  onModuleInit(): void {
    this.probe = setInterval(() => void this.probeAll(), PROBE_INTERVAL_MS);
    this.probe.unref();
  }

  /**
   * BullMQ closes its workers gracefully at shutdown, which waits for their
   * blocking reads, i.e. for Redis: with Redis down the hub never exited.
   * Closed by force first (jobs are idempotent and are retried), the
   * graceful close that follows finds them closed.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const down = !this.up;
    this.stop();
    if (!down) return;
    await Promise.all(this.bullmq.map((e) => withTimeout(e.close(true), 2 * PROBE_TIMEOUT_MS, 'forced close').catch(() => undefined)));
  }

  onModuleDestroy(): void {
    this.stop();
  }

  /** Every tracked connection is ready and answering: a command sent now is answered unless Redis fails meanwhile. */
  get up(): boolean {
    if (this.clients.size === 0 || this.hung.size > 0) return false;
    for (const client of this.clients.values()) if (client.status !== 'ready') return false;
    return true;
  }

  /** Follows one of the hub's own ioredis connections (its error events are handled here). */
  track(role: string, client: Redis): void {
    this.clients.set(role, client);
    client.on('error', (error: Error) => {
      this.failure ??= `${role}: ${error.message}`;
      this.refresh();
    });
    for (const event of ['ready', 'close', 'end', 'reconnecting']) client.on(event, () => this.refresh());
  }

  /**
   * Handles the 'error' events of a BullMQ Queue or Worker (without a listener
   * BullMQ prints each one): connection errors belong to the outage logged
   * from the hub's own connections; anything else is logged as a warning.
   */
  trackBullmq(role: string, emitter: ErrorEmitter): void {
    this.bullmq.push(emitter);
    emitter.on('error', (error: Error) => {
      if (this.stopped || !this.up || isConnectionError(error)) return;
      this.logger.warn('bullmq error', { role, error: error.message });
    });
  }

  /**
   * Calls `listener` after each outage, once Redis answers again: it may have
   * come back empty (restarted without persistence), so state kept only in
   * Redis (BullMQ job schedulers) must be declared again.
   */
  onRecovery(listener: () => void): () => void {
    this.recoveryListeners.add(listener);
    return () => this.recoveryListeners.delete(listener);
  }

  /** The hub is shutting down: connections closing now are not an outage. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.probe);
  }

  private async probeAll(): Promise<void> {
    await Promise.all(
      [...this.clients].map(async ([role, client]) => {
        if (client.status !== 'ready' || (await answersPing(client))) {
          this.misses.delete(role);
          this.hung.delete(role);
          return;
        }
        const misses = (this.misses.get(role) ?? 0) + 1;
        this.misses.set(role, misses);
        if (misses < PROBE_MISSES) return;
        this.hung.add(role);
        this.failure ??= `${role}: PING not answered within ${PROBE_TIMEOUT_MS} ms, ${misses} times in a row`;
      }),
    );
    this.refresh();
  }

  private refresh(): void {
    if (this.stopped) return;
    const ready = this.up;
    this.metrics.redisUp.set(ready ? 1 : 0);
    const change = this.outage.update({ ready, failing: this.failure !== undefined }, Date.now());
    if (ready) this.failure = undefined;
    if (change?.kind === 'began') {
      const down = [...this.clients].filter(([role, c]) => c.status !== 'ready' || this.hung.has(role)).map(([role]) => role);
      this.logger.warn('redis unavailable', { error: this.failure, connections: down });
    } else if (change?.kind === 'ended') {
      this.logger.log('redis available again', { downSeconds: Math.round(change.downMs / 100) / 10 });
      for (const listener of this.recoveryListeners) listener();
    }
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function isConnectionError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || /Connection is closed|connect ETIMEDOUT|Stream isn't writeable/i.test(error.message);
}

/**
 * PINGs and waits up to PROBE_TIMEOUT_MS. A reply that arrived while this
 * process's event loop was blocked (say, parsing a 20 MiB bundle) is read
 * in the poll phase before setImmediate runs, so it still counts.
 */
async function answersPing(client: Redis): Promise<boolean> {
  let answered: boolean | undefined;
  const ping = client.ping().then(
    () => (answered = true),
    () => (answered = false),
  );
  await Promise.race([ping, new Promise((resolve) => setTimeout(resolve, PROBE_TIMEOUT_MS).unref())]);
  if (answered === undefined) await new Promise((resolve) => setImmediate(resolve));
  return answered === true;
}
