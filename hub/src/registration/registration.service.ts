import { Inject, Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import { FanoutQueue } from '../delivery/fanout.queue.js';
import { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { issueToken, parseToken, secretMatches } from '../security/secret-token.js';
import type { Labels } from '@flotilla/core';
import { assertValidLabels } from '../target/label.validation.js';
import { clusterNameCandidates, isValidClusterName } from './cluster-naming.js';
import { registrationLabels, tokenRejection } from './registration.rules.js';

export interface RegisterInput {
  token: string;
  clusterIdentity: string;
  labels: Labels;
  agentVersion: string;
  clusterName: string;
}

export interface RegisterResult {
  clusterId: string;
  clusterName: string;
  credential: string;
  /** True when an existing cluster was re-attached rather than created. */
  reattached: boolean;
}

/**
 * Turns a registration token into a cluster credential.
 *
 * Re-registration rules (modelled on Fleet, where the agent's client ID — the
 * kube-system UID — maps to exactly one Cluster):
 * - the same identity always re-attaches to the same Cluster, keeping its id,
 *   name, deployments and hub-side label edits; a new credential is issued and
 *   the previous one stops working at once (its stream is closed);
 * - a revoked cluster can come back this way with a valid token;
 * - a deregistered (deleted) cluster is gone: registering again creates a new one;
 * - every Register call consumes one use of the token, re-attachments included.
 */
@Injectable()
export class RegistrationService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
    @Inject(FanoutQueue) private readonly fanout: FanoutQueue,
  ) {}

  async register(input: RegisterInput): Promise<RegisterResult> {
    try {
      const result = await this.registerWithRetry(input);
      this.metrics.registrations.inc({ result: result.reattached ? 'reattached' : 'created' });
      if (result.reattached) await this.events.publish({ type: 'credential-revoked', clusterId: result.clusterId });
      // Labels may have changed (or the cluster is new): recompute its deployments.
      await this.fanout.reconcileCluster(result.clusterId);
      return result;
    } catch (error) {
      this.metrics.registrations.inc({ result: error instanceof DomainError ? error.reason : 'error' });
      throw error;
    }
  }

  /**
   * Two agents racing with the same identity (or the same requested name) both
   * see "no such cluster" and one insert hits a unique index; the loser's
   * transaction rolled back, so running it again re-attaches (or picks the
   * next free name) without losing a token use.
   */
  private async registerWithRetry(input: RegisterInput): Promise<RegisterResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.registerOnce(input);
      } catch (error) {
        const unique = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
        if (!unique || attempt >= 3) throw error;
      }
    }
  }

  private async registerOnce(input: RegisterInput): Promise<RegisterResult> {
    validate(input);
    const parsed = parseToken(input.token, 'reg');
    if (!parsed) throw invalidToken();
    return this.prisma.$transaction(async (tx) => {
      const token = await tx.registrationToken.findUnique({ where: { id: parsed.id } });
      if (!token || !secretMatches(parsed.secret, token.secretHash)) throw invalidToken();
      const rejection = tokenRejection(token, new Date());
      if (rejection) throw new DomainError(rejection, rejectionMessage(rejection));
      // Conditional increment: concurrent registrations cannot overshoot maxUses
      // because Postgres re-evaluates the WHERE clause after the row lock.
      const claimed = await tx.registrationToken.updateMany({
        where: { id: token.id, revokedAt: null, ...(token.maxUses === null ? {} : { uses: { lt: token.maxUses } }) },
        data: { uses: { increment: 1 } },
      });
      if (claimed.count === 0) throw new DomainError('RegistrationTokenExhausted', rejectionMessage('RegistrationTokenExhausted'));

      const tokenLabels = token.labels as Labels;
      const existing = await tx.cluster.findUnique({ where: { identity: input.clusterIdentity } });
      if (existing) {
        const credential = issueToken('cl', existing.id);
        await tx.cluster.update({
          where: { id: existing.id },
          data: {
            labels: registrationLabels(existing.labels as Labels, tokenLabels, input.labels),
            credentialHash: credential.secretHash,
            credentialIssuedAt: new Date(),
            connection: 'pending',
            agentVersion: input.agentVersion,
            registrationTokenId: token.id,
          },
        });
        return { clusterId: existing.id, clusterName: existing.name, credential: credential.token, reattached: true };
      }
      const credential = issueToken('cl');
      const taken = new Set(
        (await tx.cluster.findMany({
          where: { name: { in: clusterNameCandidates(input.clusterName, input.clusterIdentity) } },
          select: { name: true },
        })).map((c) => c.name),
      );
      const name = clusterNameCandidates(input.clusterName, input.clusterIdentity).find((n) => !taken.has(n));
      if (!name) throw new DomainError('ClusterNameTaken', `no free cluster name for "${input.clusterName}"`, { field: 'cluster_name' });
      await tx.cluster.create({
        data: {
          id: credential.id,
          name,
          identity: input.clusterIdentity,
          labels: registrationLabels({}, tokenLabels, input.labels),
          credentialHash: credential.secretHash,
          credentialIssuedAt: new Date(),
          agentVersion: input.agentVersion,
          registrationTokenId: token.id,
        },
      });
      return { clusterId: credential.id, clusterName: name, credential: credential.token, reattached: false };
    }, { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted });
  }
}

function validate(input: RegisterInput): void {
  if (!input.clusterIdentity || input.clusterIdentity.length > 253) {
    throw new DomainError('ValidationFailed', 'cluster_identity is required (at most 253 characters)', { field: 'cluster_identity' });
  }
  if (input.clusterName && !isValidClusterName(input.clusterName)) {
    throw new DomainError('ValidationFailed', `cluster_name "${input.clusterName}" must be a DNS label (lower-case alphanumerics and "-", at most 63 characters)`, { field: 'cluster_name' });
  }
  if (input.agentVersion.length > 64) {
    throw new DomainError('ValidationFailed', 'agent_version must be at most 64 characters', { field: 'agent_version' });
  }
  assertValidLabels(input.labels);
}

function invalidToken(): DomainError {
  // Deliberately the same message for unknown ids, wrong secrets and garbage.
  return new DomainError('RegistrationTokenInvalid', 'registration token is invalid');
}

function rejectionMessage(reason: string): string {
  switch (reason) {
    case 'RegistrationTokenRevoked':
      return 'registration token was revoked; ask the platform team for a new one';
    case 'RegistrationTokenExpired':
      return 'registration token has expired; ask the platform team for a new one';
    default:
      return 'registration token has no uses left; ask the platform team for a new one';
  }
}
