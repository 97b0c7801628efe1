import { Inject, Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { SecretBox } from '../security/secret-box.js';
import { GitSyncQueue } from './git-sync.queue.js';
import { secretContext } from '../security/gitrepo-secrets.js';
import { pushMatches } from './webhooks/matches-gitrepo.js';
import { recogniseWebhook } from './webhooks/recognise-webhook.js';
import { WebhookError } from './webhooks/webhook.error.js';
import type { WebhookHeaders } from './webhooks/webhook.types.js';

export interface WebhookResult {
  status: 'ignored' | 'accepted';
  /** GitRepos that will fetch now. */
  gitRepos: string[];
}

/**
 * Push webhooks: a delivery is trusted only for the GitRepos whose own
 * webhookSecret verifies it (constant time), and only those fetch. An
 * unknown repository and a bad signature get the same 401, so a caller
 * cannot probe which repositories the hub follows.
 */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger(WebhookService.name);
  private readonly box: SecretBox;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GitSyncQueue) private readonly queue: GitSyncQueue,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.box = new SecretBox(config.secretKeys);
  }

  async receive(headers: WebhookHeaders, body: Buffer | undefined): Promise<WebhookResult> {
    let recognised: ReturnType<typeof recogniseWebhook>;
    try {
      recognised = recogniseWebhook(headers, body ?? Buffer.alloc(0));
    } catch (error) {
      if (error instanceof WebhookError) throw new DomainError('WebhookUnrecognised', error.message, { field: error.field ? `body.${error.field}` : error.reason === 'UnknownProvider' ? 'headers' : 'body' });
      throw error;
    }
    const { provider, event } = recognised;
    if (event === 'ignored') return { status: 'ignored', gitRepos: [] };
    const repos = await this.prisma.gitRepo.findMany({ where: { webhookSecret: { not: null } }, select: { id: true, name: true, repo: true, branch: true, revision: true, webhookSecret: true } });
    const verified = repos.filter((r) => {
      if (!pushMatches(event, r)) return false;
      try {
        return provider.verify(headers, body!, this.box.open(r.webhookSecret!, secretContext(r.id, 'webhookSecret')));
      } catch (error) {
        this.logger.warn(`webhook secret of GitRepo ${r.name} cannot be read: ${(error as Error).message}`);
        return false;
      }
    });
    if (verified.length === 0) {
      throw new DomainError('WebhookSignatureInvalid', `${provider.name} push: no GitRepo that follows this repository and ref has a webhookSecret this delivery is signed with`);
    }
    await this.prisma.gitRepo.updateMany({ where: { id: { in: verified.map((r) => r.id) } }, data: { syncRequestedAt: new Date() } });
    for (const r of verified) await this.queue.sync(r.id);
    this.logger.log(`${provider.name} push${event.commit ? ` of ${event.commit.slice(0, 12)}` : ''}: fetching ${verified.map((r) => r.name).join(', ')}`);
    return { status: 'accepted', gitRepos: verified.map((r) => r.name) };
  }
}
