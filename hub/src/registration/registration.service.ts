import { Inject, Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import { FanoutQueue } from '../delivery/fanout.queue.js';
import { markFanout } from '../delivery/fanout-marker.js';
import { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { hashSecret, issueToken, parseToken, secretMatches } from '../security/secret-token.js';
import type { Labels } from '@flotilla/core';
import { assertClusterLabelCount, assertValidLabels } from '../target/label.validation.js';
import { clusterNameCandidates, isValidClusterName } from './cluster-naming.js';
import { reportRefusal, type RegistrationRefusal } from './registration.audit.js';
import { agentLabelsProblem, attachDecision, isUnansweredRetry, registrationLabels, tokenRejection } from './registration.rules.js';

export interface RegisterInput {
  token: string;
  clusterIdentity: string;
  labels: Labels;
  agentVersion: string;
  clusterName: string;
  /** The agent's registration nonce ('' from agents that send none): proves a retry is the same agent's. */
  registrationNonce: string;
  /** The caller's address (for the audit line of a refusal); never used to decide. */
  peer?: string;
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
 * kube-system UID — maps to exactly one Cluster), with the trust model of
 * issue #9 (the identity is not a secret, so it proves nothing):
 * - an identity that belongs to an existing cluster re-attaches only with a
 *   token bound to that cluster (`clusterId`), whether it is online, offline or
 *   revoked; it keeps its id, name, deployments and hub-side label edits, and a
 *   new credential is issued while the previous one stops working at once.
 *   Any other token is refused (ClusterIdentityTaken) and nothing changes;
 * - a bound token re-attaches its cluster and does nothing else;
 * - a deregistered (deleted) cluster is gone: registering again creates a new one;
 * - token labels are authoritative: the agent may add only the keys the token
 *   allows (`agentLabelKeys`) and never change a token label (AgentLabelNotAllowed);
 * - every successful Register consumes one use of the token, re-attachments
 *   included; a refused one consumes none.
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
   * transaction rolled back, so running it again applies every rule afresh:
   * the identity now exists, so it is refused unless its token is bound to
   * that cluster (or it picks the next free name), without losing a token use.
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

      // Every refusal comes before the token use is claimed and before any write.
      // A retry after a unique violation runs all of this again, so a racing
      // first registration of the same identity is refused here, not re-attached.
      const existing = await tx.cluster.findUnique({
        where: { identity: input.clusterIdentity },
        select: { id: true, name: true, labels: true, connection: true, registrationTokenId: true, registrationNonceHash: true },
      });
      const refuse = (error: DomainError, refusal: Omit<RegistrationRefusal, 'tokenId' | 'peer' | 'reason'>): DomainError => {
        reportRefusal(this.metrics, { reason: error.reason as RegistrationRefusal['reason'], tokenId: token.id, peer: input.peer, ...refusal });
        return error;
      };
      const retry = existing !== null && isUnansweredRetry(existing, token.id, input.registrationNonce);
      // A retry continues a registration that already spent its use: it may use the token's last one again.
      if (rejection && !(retry && rejection === 'RegistrationTokenExhausted')) throw new DomainError(rejection, rejectionMessage(rejection));
      const decision = attachDecision(token.clusterId, existing, retry);
      if (decision.kind === 'identity-taken') {
        const { id, name } = decision.cluster;
        throw refuse(identityTaken(input.clusterIdentity, decision.cluster), { clusterId: id, clusterName: name });
      }
      if (decision.kind === 'token-bound-elsewhere') {
        const bound = await tx.cluster.findUnique({ where: { id: decision.clusterId }, select: { name: true } });
        throw refuse(tokenBoundElsewhere(decision.clusterId, bound?.name), { clusterId: decision.clusterId, clusterName: bound?.name });
      }
      const tokenLabels = token.labels as Labels;
      const labelProblem = agentLabelsProblem(input.labels, { labels: tokenLabels, agentLabelKeys: token.agentLabelKeys as string[] | null });
      if (labelProblem) {
        throw refuse(new DomainError('AgentLabelNotAllowed', labelProblem.message, { field: `labels.${labelProblem.key}` }), {
          clusterId: existing?.id,
          clusterName: existing?.name,
          labelKey: labelProblem.key,
        });
      }
      const current = (existing?.labels ?? {}) as Labels;
      const labels = registrationLabels(current, tokenLabels, input.labels);
      // Only growth is refused, so a cluster stored over the limit (before there was one) can still re-attach.
      if (Object.keys(labels).length > Object.keys(current).length) {
        assertClusterLabelCount(labels, 'labels', 'the cluster (its current, token and agent labels together)');
      }

      // Conditional increment: concurrent registrations cannot overshoot maxUses
      // because Postgres re-evaluates the WHERE clause after the row lock.
      if (decision.kind !== 'retry') {
        const claimed = await tx.registrationToken.updateMany({
          where: { id: token.id, revokedAt: null, ...(token.maxUses === null ? {} : { uses: { lt: token.maxUses } }) },
          data: { uses: { increment: 1 } },
        });
        if (claimed.count === 0) throw new DomainError('RegistrationTokenExhausted', rejectionMessage('RegistrationTokenExhausted'));
      }

      if (existing) {
        const credential = issueToken('cl', existing.id);
        await tx.cluster.update({
          where: { id: existing.id },
          data: {
            labels,
            credentialHash: credential.secretHash,
            credentialIssuedAt: new Date(),
            connection: 'pending',
            agentVersion: input.agentVersion,
            registrationTokenId: token.id,
            registrationNonceHash: nonceHash(input.registrationNonce),
          },
        });
        // Committed with the change: the repair sweep runs the fan-out if register()'s enqueue is lost (Redis down).
        await markFanout(tx, 'clusters', [existing.id]);
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
          labels,
          credentialHash: credential.secretHash,
          credentialIssuedAt: new Date(),
          agentVersion: input.agentVersion,
          registrationTokenId: token.id,
          registrationNonceHash: nonceHash(input.registrationNonce),
        },
      });
      await markFanout(tx, 'clusters', [credential.id]);
      return { clusterId: credential.id, clusterName: name, credential: credential.token, reattached: false };
    }, { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted });
  }
}

function validate(input: RegisterInput): void {
  // PostgreSQL text cannot hold NUL: refuse it by field instead of failing the insert (issue 9).
  for (const [field, value] of [['cluster_identity', input.clusterIdentity], ['agent_version', input.agentVersion], ['registration_nonce', input.registrationNonce]] as const) {
    if (value.includes('\u0000')) throw new DomainError('ValidationFailed', `${field} must not contain NUL characters`, { field });
  }
  if (!input.clusterIdentity || input.clusterIdentity.length > 253) {
    throw new DomainError('ValidationFailed', 'cluster_identity is required (at most 253 characters)', { field: 'cluster_identity' });
  }
  if (input.clusterName && !isValidClusterName(input.clusterName)) {
    throw new DomainError('ValidationFailed', `cluster_name "${input.clusterName}" must be a DNS label (lower-case alphanumerics and "-", at most 63 characters)`, { field: 'cluster_name' });
  }
  if (input.registrationNonce.length > 128) {
    throw new DomainError('ValidationFailed', 'registration_nonce must be at most 128 characters', { field: 'registration_nonce' });
  }
  if (input.agentVersion.length > 64) {
    throw new DomainError('ValidationFailed', 'agent_version must be at most 64 characters', { field: 'agent_version' });
  }
  // Counted before each label is checked: 20,000 labels are refused at once.
  assertClusterLabelCount(input.labels);
  assertValidLabels(input.labels);
}

/** Stored like every secret: its SHA-256 (null when the agent sent none). */
function nonceHash(nonce: string): string | null {
  return nonce ? hashSecret(nonce) : null;
}

function identityTaken(identity: string, cluster: { id: string; name: string }): DomainError {
  return new DomainError(
    'ClusterIdentityTaken',
    `cluster identity ${identity} is already registered as cluster ${cluster.name} (${cluster.id}); re-attaching it needs a registration token bound to that cluster: ` +
      `ask the platform team for a registration token issued for cluster ${cluster.name}, or to deregister it`,
  );
}

function tokenBoundElsewhere(clusterId: string, clusterName: string | undefined): DomainError {
  const message =
    clusterName === undefined
      ? `registration token was issued for cluster ${clusterId}, which has been deregistered; ask the platform team for a new registration token`
      : `registration token was issued for cluster ${clusterName} (${clusterId}) and can only re-attach that cluster, not register another one; ask the platform team for a registration token for new clusters`;
  return new DomainError('RegistrationTokenClusterMismatch', message);
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
