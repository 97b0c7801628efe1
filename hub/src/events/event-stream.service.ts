import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import { PrismaService } from '../database/prisma.service.js';
import { TickLoop } from '../platform/schedule/tick-loop.js';
import { wakeSignals } from '../platform/schedule/wake-signal.js';
import type { EventFilter } from './event-filter.js';
import { readEvents } from './event-reads.js';
import { sequenceEvents } from './event-sequencer.js';

/** How often open streams look for new events (ms), and the sequencer while events arrive. */
const POLL_MS = 250;
/** The sequencer's tick while no event arrives (ms): the delay an event written by another replica may see. */
const IDLE_MAX_MS = 2000;
/** A comment line this often keeps proxies from closing an idle stream (ms). */
const HEARTBEAT_MS = 15_000;
/** Events read per poll at most. */
const PAGE = 500;
/** A client this far behind (bytes buffered in the socket) is disconnected: it resumes with Last-Event-ID. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * Live event streams (Server-Sent Events). Each open stream polls PostgreSQL
 * for events after its cursor (a seq, so commit order: see
 * event-sequencer.ts) every POLL_MS and writes them as `id`/`event`/`data`
 * records; a disconnect ends its loop, a client that does not read is cut off
 * once MAX_BUFFERED_BYTES are waiting (memory stays bounded; it resumes from
 * its Last-Event-ID without loss). The sequencer also runs on its own timer so
 * that history readers and webhooks see events without an open stream.
 */
@Injectable()
export class EventStreams implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventStreams.name);
  private readonly open = new Set<Response>();
  private readonly sequencer = new TickLoop('event sequencing', POLL_MS, () => sequenceEvents(this.prisma), this.logger, {
    idleMaxMs: IDLE_MAX_MS,
    wakeOn: [wakeSignals.fleetEvents],
  });

  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  onApplicationBootstrap(): void {
    this.sequencer.start();
  }

  onModuleDestroy(): void {
    this.sequencer.stop();
    for (const res of this.open) res.end();
  }

  /** Sequences what committed so far (for readers that must not wait for the timer). */
  sequence(): Promise<number> {
    return this.sequencer.run();
  }

  /** Serves one stream until the client goes away (or falls too far behind, or the hub stops). */
  async serve(res: Response, after: bigint, filter: EventFilter): Promise<void> {
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    this.open.add(res);
    let closed = false;
    res.on('close', () => {
      closed = true;
      this.open.delete(res);
    });
    let cursor = after;
    let lastWrite = Date.now();
    try {
      while (!closed && !res.writableEnded) {
        await this.sequence();
        const events = await readEvents(this.prisma, cursor, filter, PAGE);
        for (const e of events) {
          res.write(`id: ${e.id}\nevent: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
          cursor = BigInt(e.id);
          lastWrite = Date.now();
        }
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          this.logger.warn('event stream client too slow; disconnected (it resumes with Last-Event-ID)', { buffered: res.writableLength });
          res.destroy();
          break;
        }
        if (Date.now() - lastWrite > HEARTBEAT_MS) {
          res.write(': ping\n\n');
          lastWrite = Date.now();
        }
        if (events.length < PAGE) await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } catch (error) {
      this.logger.warn('event stream ended by an error', { error: (error as Error).message });
      res.destroy();
    } finally {
      this.open.delete(res);
    }
  }
}
