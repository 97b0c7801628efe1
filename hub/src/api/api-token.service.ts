import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ApiRole } from '../generated/prisma/client.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { NEWEST_FIRST, newestFirstAfter, newestFirstKey, toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import { hashSecret, issueToken, parseToken, secretMatches } from '../security/secret-token.js';

export interface ApiPrincipal {
  tokenId: string;
  name: string;
  role: ApiRole;
}

export interface ApiTokenView {
  id: string;
  name: string;
  role: ApiRole;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

@Injectable()
export class ApiTokenService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiTokenService.name);
  private readonly bootstrapHash: string | undefined;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.bootstrapHash = config.bootstrapToken ? hashSecret(config.bootstrapToken) : undefined;
  }

  /**
   * Without a configured bootstrap token, the very first start creates an
   * admin token and prints it once on stderr — never through the logger, so it
   * does not end up in log aggregation with a structured field.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.bootstrapHash) return;
    const created = await this.prisma.$transaction(async (tx) => {
      // Serialises concurrent first starts of several replicas.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('flotilla:initial-admin-token'))`;
      if ((await tx.apiToken.count()) > 0) return undefined;
      const issued = issueToken('api');
      await tx.apiToken.create({ data: { id: issued.id, name: 'initial-admin', role: 'admin', secretHash: issued.secretHash } });
      return issued.token;
    });
    if (created) {
      process.stderr.write(`\nFlotilla: initial admin API token (shown once, store it now):\n\n  ${created}\n\n`);
      this.logger.log('created the initial admin API token (printed once on stderr)');
    }
  }

  async authenticate(token: string | undefined): Promise<ApiPrincipal> {
    if (!token) throw new DomainError('ApiTokenMissing', 'missing "Authorization: Bearer <token>" header');
    if (this.bootstrapHash && secretMatches(token, this.bootstrapHash)) {
      return { tokenId: 'bootstrap', name: 'bootstrap', role: 'admin' };
    }
    const parsed = parseToken(token, 'api');
    const row = parsed ? await this.prisma.apiToken.findUnique({ where: { id: parsed.id } }) : null;
    if (!parsed || !row || row.revokedAt || !secretMatches(parsed.secret, row.secretHash)) {
      throw new DomainError('ApiTokenInvalid', 'API token is invalid or revoked');
    }
    // Last-used is informational; do not fail the request if the write fails.
    void this.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
    return { tokenId: row.id, name: row.name, role: row.role };
  }

  async create(name: string, role: ApiRole): Promise<ApiTokenView & { token: string }> {
    const issued = issueToken('api');
    const row = await this.prisma.apiToken.create({ data: { id: issued.id, name, role, secretHash: issued.secretHash } });
    return { ...view(row), token: issued.token };
  }

  /** One page of tokens, newest first; `status` keeps only active or only revoked ones. */
  async list(filter: { status?: 'active' | 'revoked' | undefined }, page: PageRequest): Promise<Page<ApiTokenView>> {
    const status = filter.status === undefined ? {} : { revokedAt: filter.status === 'revoked' ? { not: null } : null };
    const rows = await this.prisma.apiToken.findMany({
      where: { AND: [newestFirstAfter(page.cursor), status] },
      orderBy: [...NEWEST_FIRST],
      take: page.limit + 1,
    });
    return toPage(rows, page.limit, newestFirstKey, view);
  }

  /**
   * Revokes a token. Without a bootstrap token, the last active admin token is
   * the only way left to administer the hub (the initial admin token is only
   * created on an empty table), so revoking it is refused with 409
   * LastAdminToken. With FLOTILLA_BOOTSTRAP_TOKEN set, that token is always an
   * admin and is the way back in, so any stored token may be revoked.
   */
  async revoke(id: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      // Serialises revocations: two at once must not both count the other as the admin that remains.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('flotilla:api-token-revoke'))`;
      const row = await tx.apiToken.findUnique({ where: { id }, select: { role: true, revokedAt: true } });
      if (!row) throw new DomainError('ApiTokenNotFound', `API token ${id} not found`);
      if (!this.bootstrapHash && row.role === 'admin' && !row.revokedAt) {
        const otherAdmins = await tx.apiToken.count({ where: { role: 'admin', revokedAt: null, id: { not: id } } });
        if (otherAdmins === 0) {
          throw new DomainError('LastAdminToken', `API token ${id} is the last active admin token: create another admin token first (or configure FLOTILLA_BOOTSTRAP_TOKEN)`);
        }
      }
      await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    });
  }
}

function view(row: { id: string; name: string; role: ApiRole; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revoked: row.revokedAt !== null,
  };
}
