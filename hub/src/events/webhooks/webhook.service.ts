import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { HUB_CONFIG } from '../../platform/config/config.module.js';
import type { HubConfig } from '../../platform/config/config.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../../platform/http/pagination.js';
import { SecretBox } from '../../security/secret-box.js';
import { latestSeq } from '../event-reads.js';
import type { PutWebhook } from './webhook.api.js';

export interface WebhookView {
  name: string;
  url: string;
  kinds: string[];
  bundle: string;
  cluster: string;
  format: 'json' | 'slack';
  enabled: boolean;
  cursor: string;
  deliveries: { Pending: number; Delivered: number; Failed: number };
  createdAt: string;
}

export interface DeliveryView {
  id: string;
  event: string;
  kind: string;
  state: 'Pending' | 'Delivered' | 'Failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string;
  createdAt: string;
  deliveredAt: string | null;
}

/** The sealing context of a subscription's secret. */
export const webhookSecretContext = (id: string) => `webhook:${id}:secret`;

/**
 * Webhook subscriptions through the REST API. The signing secret is sealed
 * (FLOTILLA_SECRET_KEYS) before it is written and never returned. A new
 * subscription gets the events from its creation on; replacing one keeps
 * its position in the event log.
 */
@Injectable()
export class WebhookService {
  private readonly box: SecretBox;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.box = new SecretBox(config.secretKeys);
  }

  async put(name: string, input: PutWebhook): Promise<{ created: boolean; webhook: WebhookView }> {
    if (!this.box.canSeal) throw new DomainError('SecretKeysMissing', 'webhook secrets are sealed with FLOTILLA_SECRET_KEYS, which this hub does not have');
    const existing = await this.prisma.webhookSubscription.findUnique({ where: { name }, select: { id: true } });
    const id = existing?.id ?? randomUUID();
    const data = {
      url: input.url,
      secret: new Uint8Array(this.box.seal(input.secret, webhookSecretContext(id))),
      kinds: input.kinds,
      bundle: input.bundle,
      cluster: input.cluster,
      format: input.format,
      enabled: input.enabled,
    };
    await this.prisma.webhookSubscription.upsert({ where: { name }, create: { id, name, cursor: await latestSeq(this.prisma), ...data }, update: data });
    return { created: !existing, webhook: await this.get(name) };
  }

  async list(page: PageRequest): Promise<Page<WebhookView>> {
    const after = decodeCursor(page.cursor, 1)?.[0];
    const rows = await this.prisma.webhookSubscription.findMany({ where: after ? { name: { gt: after } } : {}, orderBy: { name: 'asc' }, take: page.limit + 1 });
    const counts = await this.counts(rows.map((r) => r.id));
    return toPage(rows, page.limit, (r) => [r.name], (r) => view(r, counts.get(r.id)));
  }

  async get(name: string): Promise<WebhookView> {
    const row = await this.prisma.webhookSubscription.findUnique({ where: { name } });
    if (!row) throw notFound(name);
    return view(row, (await this.counts([row.id])).get(row.id));
  }

  async delete(name: string): Promise<void> {
    const { count } = await this.prisma.webhookSubscription.deleteMany({ where: { name } });
    if (count === 0) throw notFound(name);
  }

  async deliveries(name: string, state: string | undefined, page: PageRequest): Promise<Page<DeliveryView>> {
    const sub = await this.prisma.webhookSubscription.findUnique({ where: { name }, select: { id: true } });
    if (!sub) throw notFound(name);
    const before = decodeCursor(page.cursor, 1)?.[0];
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { subscriptionId: sub.id, ...(state ? { state } : {}), ...(before ? { id: { lt: BigInt(before) } } : {}) },
      orderBy: { id: 'desc' },
      take: page.limit + 1,
    });
    return toPage(rows, page.limit, (r) => [r.id.toString()], (r) => ({
      id: r.id.toString(),
      event: r.seq.toString(),
      kind: r.kind,
      state: r.state as DeliveryView['state'],
      attempts: r.attempts,
      lastStatus: r.lastStatus,
      lastError: r.lastError,
      createdAt: r.createdAt.toISOString(),
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
    }));
  }

  private async counts(ids: string[]): Promise<Map<string, WebhookView['deliveries']>> {
    const rows = await this.prisma.webhookDelivery.groupBy({ by: ['subscriptionId', 'state'], where: { subscriptionId: { in: ids } }, _count: { _all: true } });
    const out = new Map<string, WebhookView['deliveries']>();
    for (const r of rows) {
      const c = out.get(r.subscriptionId) ?? { Pending: 0, Delivered: 0, Failed: 0 };
      c[r.state as keyof WebhookView['deliveries']] = r._count._all;
      out.set(r.subscriptionId, c);
    }
    return out;
  }
}

function view(
  r: { name: string; url: string; kinds: string[]; bundle: string; cluster: string; format: string; enabled: boolean; cursor: bigint; createdAt: Date },
  deliveries: WebhookView['deliveries'] = { Pending: 0, Delivered: 0, Failed: 0 },
): WebhookView {
  return {
    name: r.name,
    url: r.url,
    kinds: r.kinds,
    bundle: r.bundle,
    cluster: r.cluster,
    format: r.format === 'slack' ? 'slack' : 'json',
    enabled: r.enabled,
    cursor: r.cursor.toString(),
    deliveries,
    createdAt: r.createdAt.toISOString(),
  };
}

function notFound(name: string): DomainError {
  return new DomainError('WebhookNotFound', `webhook "${name}" not found`);
}
