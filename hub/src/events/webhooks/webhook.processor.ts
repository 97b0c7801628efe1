import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PrismaService } from '../../database/prisma.service.js';
import { HUB_CONFIG } from '../../platform/config/config.module.js';
import type { HubConfig } from '../../platform/config/config.js';
import { RedisHealth } from '../../platform/redis/redis-health.js';
import { SecretBox } from '../../security/secret-box.js';
import { readEvents } from '../event-reads.js';
import { WEBHOOK_QUEUE, type WebhookJob } from './webhook.dispatcher.js';
import { webhookBody, type WebhookFormat } from './webhook.payload.js';
import { webhookSecretContext } from './webhook.service.js';
import { signature, WEBHOOK_HEADERS } from './webhook.signing.js';

/** One POST may take this long. */
const TIMEOUT_MS = 10_000;
/** Characters of a failed response's body kept as its error. */
const ERROR_CHARS = 256;

/**
 * POSTs one delivery, signed (webhook.signing.ts). A 2xx marks it
 * Delivered; anything else (or no answer within TIMEOUT_MS) counts an
 * attempt and throws, so BullMQ retries with exponential backoff; after
 * FLOTILLA_WEBHOOK_ATTEMPTS attempts it is Failed. State lives in
 * PostgreSQL: a delivery already Delivered is never sent again (a job run
 * twice after a Redis failover sends nothing), but a hub that dies between
 * the receiver's 2xx and the write sends it again: at least once, with the
 * same X-Flotilla-Delivery id for the receiver to deduplicate.
 */
@Processor(WEBHOOK_QUEUE, { concurrency: 4 })
export class WebhookProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookProcessor.name);
  private readonly box: SecretBox;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    super();
    this.box = new SecretBox(config.secretKeys);
  }

  onApplicationBootstrap(): void {
    this.redis.trackBullmq('webhook worker', this.worker);
  }

  async process(job: Job<WebhookJob>): Promise<string> {
    const id = BigInt(job.data.deliveryId);
    const d = await this.prisma.webhookDelivery.findUnique({ where: { id }, include: { subscription: true } });
    if (!d || d.state !== 'Pending') return 'nothing to do';
    const [event] = await readEvents(this.prisma, d.seq - 1n, {}, 1);
    if (!event || event.id !== d.seq.toString()) return this.finish(id, 'Failed', null, 'the event was deleted (retention) before it could be delivered');
    const body = webhookBody(event, d.subscription.format as WebhookFormat);
    const timestamp = Math.floor(Date.now() / 1000);
    const secret = this.box.open(d.subscription.secret, webhookSecretContext(d.subscriptionId));
    let status: number | null = null;
    let error = '';
    try {
      const res = await fetch(d.subscription.url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'flotilla-hub',
          [WEBHOOK_HEADERS.event]: event.kind,
          [WEBHOOK_HEADERS.delivery]: d.id.toString(),
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signature(secret, timestamp, body),
        },
      });
      status = res.status;
      if (res.ok) {
        await res.body?.cancel();
        return this.finish(id, 'Delivered', status, '');
      }
      error = (await res.text()).slice(0, ERROR_CHARS);
    } catch (e) {
      error = (e as Error).message.slice(0, ERROR_CHARS);
    }
    const attempts = d.attempts + 1;
    if (attempts >= this.config.webhooks.attempts) return this.finish(id, 'Failed', status, error, attempts);
    await this.prisma.webhookDelivery.update({ where: { id }, data: { attempts, lastStatus: status, lastError: error } });
    this.logger.warn('webhook delivery failed; retrying', { delivery: id.toString(), status, attempts });
    throw new Error(`webhook delivery ${id} failed (${status ?? error})`);
  }

  private async finish(id: bigint, state: 'Delivered' | 'Failed', status: number | null, error: string, attempts?: number): Promise<string> {
    await this.prisma.webhookDelivery.update({
      where: { id },
      data: { state, lastStatus: status, lastError: error, ...(attempts !== undefined ? { attempts } : { attempts: { increment: 1 } }), ...(state === 'Delivered' ? { deliveredAt: new Date() } : {}) },
    });
    return state;
  }
}
