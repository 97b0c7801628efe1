import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { CREDENTIAL_METADATA_KEY } from '@flotilla/proto';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { parseToken, secretMatches, type ParsedToken } from '../security/secret-token.js';
import { CredentialCache } from './credential.cache.js';

export interface ClusterPrincipal {
  clusterId: string;
  clusterName: string;
  /** The presented credential, kept to re-check an open stream later. */
  credential: ParsedToken;
}

/**
 * Resolves the calling cluster from its credential. The cluster id comes from
 * the credential only — never from a request field — so a cluster can only
 * ever act as itself.
 */
@Injectable()
export class ClusterAuthenticator implements OnModuleInit, OnModuleDestroy {
  /**
   * Verified credentials, so that heartbeats and reports of thousands of idle
   * agents do not each cost a database query. An entry dies on the cluster's
   * `credential-revoked` event (revoke, deregister, re-register: published on
   * every replica through Redis), with the event subscription it was cached
   * under (while this replica hears no events — Redis down — every call
   * checks PostgreSQL, issue #9), and at the latest after CACHE_TTL_MS, which
   * bounds the damage of a message lost while the subscription stood; open
   * streams are re-checked against the database independently (AgentGateway).
   */
  static readonly CACHE_TTL_MS = 60_000;
  private readonly verified = new CredentialCache(ClusterAuthenticator.CACHE_TTL_MS);
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type === 'credential-revoked') this.verified.revoked(event.clusterId);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async authenticate(metadata: Metadata): Promise<ClusterPrincipal> {
    const header = metadata.get(CREDENTIAL_METADATA_KEY)[0];
    if (typeof header !== 'string' || header === '') {
      throw new DomainError('ClusterCredentialMissing', 'missing "authorization: Bearer <cluster credential>" metadata');
    }
    const parsed = parseToken(header.replace(/^Bearer\s+/i, ''), 'cl');
    if (!parsed) throw invalid();
    const cached = this.verified.get(parsed.id, this.events.subscription, Date.now());
    if (cached && secretMatches(parsed.secret, cached.hash)) {
      return { clusterId: parsed.id, clusterName: cached.name, credential: parsed };
    }
    const ticket = this.verified.ticket(this.events.subscription);
    const cluster = await this.prisma.cluster.findUnique({ where: { id: parsed.id }, select: { name: true, credentialHash: true } });
    if (!cluster || !cluster.credentialHash || !secretMatches(parsed.secret, cluster.credentialHash)) throw invalid();
    this.verified.set(parsed.id, { hash: cluster.credentialHash, name: cluster.name }, ticket, this.events.subscription, Date.now());
    return { clusterId: parsed.id, clusterName: cluster.name, credential: parsed };
  }

  /** Ids of the given principals whose credential is no longer valid. */
  async invalidAmong(principals: ClusterPrincipal[]): Promise<Set<ClusterPrincipal>> {
    if (principals.length === 0) return new Set();
    const ids = [...new Set(principals.map((p) => p.clusterId))];
    const rows = await this.prisma.cluster.findMany({ where: { id: { in: ids } }, select: { id: true, credentialHash: true } });
    const hashes = new Map(rows.map((r) => [r.id, r.credentialHash]));
    for (const id of ids) if (!hashes.get(id)) this.verified.revoked(id);
    return new Set(principals.filter((p) => !secretMatches(p.credential.secret, hashes.get(p.clusterId))));
  }
}

function invalid(): DomainError {
  return new DomainError('ClusterCredentialInvalid', 'cluster credential is invalid or was revoked; register the agent again');
}
