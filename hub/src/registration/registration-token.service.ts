import { Inject, Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { NEWEST_FIRST, newestFirstAfter, newestFirstKey, toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { issueToken } from '../security/secret-token.js';
import type { Labels } from '@flotilla/core';
import { assertClusterLabelCount, assertValidLabels } from '../target/label.validation.js';
import { agentLabelKeyPatternProblem } from './registration.rules.js';

export interface CreateRegistrationToken {
  description?: string;
  /** Lifetime in seconds; absent = never expires. */
  ttlSeconds?: number;
  /** Number of Register calls allowed; absent = unlimited. */
  maxUses?: number;
  labels?: Labels;
  /** Bind the token to this cluster: it can only re-attach it. Absent/null = it only creates clusters. */
  clusterId?: string | null;
  /** Label keys the agent may set (exact, or prefix ending in `*`). Absent/null = any key the token does not set. */
  agentLabelKeys?: string[] | null;
}

export interface RegistrationTokenView {
  id: string;
  description: string;
  labels: Labels;
  clusterId: string | null;
  agentLabelKeys: string[] | null;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  revoked: boolean;
  createdAt: string;
}

@Injectable()
export class RegistrationTokenService {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Creates a token; the returned `token` is the only time the secret is visible. */
  async create(input: CreateRegistrationToken): Promise<RegistrationTokenView & { token: string }> {
    assertClusterLabelCount(input.labels ?? {}, 'labels', 'a registration token');
    assertValidLabels(input.labels ?? {});
    assertValidAgentLabelKeys(input.agentLabelKeys ?? []);
    const clusterId = input.clusterId ?? null;
    if (clusterId !== null && !(await this.prisma.cluster.findUnique({ where: { id: clusterId }, select: { id: true } }))) {
      throw new DomainError('ValidationFailed', `cluster ${clusterId} does not exist: a token can only be bound to a registered cluster`, { field: 'clusterId' });
    }
    const issued = issueToken('reg');
    const row = await this.prisma.registrationToken.create({
      data: {
        id: issued.id,
        description: input.description ?? '',
        secretHash: issued.secretHash,
        labels: input.labels ?? {},
        clusterId,
        ...(input.agentLabelKeys ? { agentLabelKeys: input.agentLabelKeys } : {}),
        expiresAt: input.ttlSeconds ? new Date(Date.now() + input.ttlSeconds * 1000) : null,
        maxUses: input.maxUses ?? null,
      },
    });
    return { ...view(row), token: issued.token };
  }

  /**
   * One page of tokens, newest first. `status: 'active'` keeps tokens that can
   * still register a cluster (not revoked, not expired, uses left);
   * `'revoked'` keeps revoked ones.
   */
  async list(filter: { status?: 'active' | 'revoked' | undefined }, page: PageRequest): Promise<Page<RegistrationTokenView>> {
    const fields = this.prisma.registrationToken.fields;
    const status: Prisma.RegistrationTokenWhereInput =
      filter.status === 'revoked'
        ? { revokedAt: { not: null } }
        : filter.status === 'active'
          ? {
              revokedAt: null,
              AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] }, { OR: [{ maxUses: null }, { uses: { lt: fields.maxUses } }] }],
            }
          : {};
    const rows = await this.prisma.registrationToken.findMany({
      where: { AND: [newestFirstAfter(page.cursor), status] },
      orderBy: [...NEWEST_FIRST],
      take: page.limit + 1,
    });
    return toPage(rows, page.limit, newestFirstKey, view);
  }

  /** Revokes a token; clusters that already joined with it are unaffected. */
  async revoke(id: string): Promise<void> {
    const result = await this.prisma.registrationToken.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (result.count === 0 && !(await this.prisma.registrationToken.findUnique({ where: { id } }))) {
      throw new DomainError('RegistrationTokenNotFound', `registration token ${id} not found`);
    }
  }

  /** Deletes tokens that expired or were revoked more than `retentionMs` ago. */
  async purgeStale(retentionMs: number): Promise<number> {
    const before = new Date(Date.now() - retentionMs);
    const result = await this.prisma.registrationToken.deleteMany({
      where: { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }] },
    });
    return result.count;
  }
}

function assertValidAgentLabelKeys(patterns: readonly string[]): void {
  patterns.forEach((pattern, index) => {
    const problem = agentLabelKeyPatternProblem(pattern);
    if (problem) throw new DomainError('ValidationFailed', `agentLabelKeys[${index}]: ${problem}`, { field: `agentLabelKeys[${index}]` });
  });
}

function view(row: {
  id: string;
  description: string;
  labels: unknown;
  clusterId: string | null;
  agentLabelKeys: unknown;
  expiresAt: Date | null;
  maxUses: number | null;
  uses: number;
  revokedAt: Date | null;
  createdAt: Date;
}): RegistrationTokenView {
  return {
    id: row.id,
    description: row.description,
    labels: row.labels as Labels,
    clusterId: row.clusterId,
    agentLabelKeys: (row.agentLabelKeys as string[] | null) ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    maxUses: row.maxUses,
    uses: row.uses,
    revoked: row.revokedAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}
