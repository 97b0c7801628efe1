import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { query } from '../platform/http/zod.pipe.js';
import { latestSeq, readEvents, type FleetEventView } from './event-reads.js';
import { EventStreams } from './event-stream.service.js';
import { historyQuery, streamQuery } from './events.api.js';

type StreamQuery = z.output<typeof streamQuery>;

function filterOf(q: StreamQuery) {
  return { kinds: q.kind, bundle: q.bundle, cluster: q.cluster, gitRepo: q.gitRepo, severity: q.severity };
}

@Controller('api/v1/events')
export class EventStreamController {
  constructor(
    @Inject(EventStreams) private readonly streams: EventStreams,
    @Inject(PrismaService) private readonly prisma: PrismaService,
  ) {}

  /** SSE: from Last-Event-ID (or ?after=), else only events from now on. */
  @Get()
  async stream(@Query(query(streamQuery)) q: StreamQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const header = req.header('last-event-id');
    if (header !== undefined && !/^\d{1,19}$/.test(header)) {
      throw new DomainError('ValidationFailed', 'Last-Event-ID: must be an event id (a number) from this stream', { field: 'header.Last-Event-ID' });
    }
    const from = header ?? q.after;
    const after = from !== undefined ? BigInt(from) : await latestSeq(this.prisma);
    await this.streams.serve(res, after, filterOf(q));
  }

  @Get('history')
  async history(@Query(query(historyQuery)) q: z.output<typeof historyQuery>): Promise<{ items: FleetEventView[]; nextAfter: string | null }> {
    await this.streams.sequence();
    const items = await readEvents(this.prisma, BigInt(q.after ?? 0), filterOf(q), q.limit);
    return { items, nextAfter: items.length === q.limit ? items[items.length - 1]!.id : null };
  }
}
