import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { CREDENTIAL_METADATA_KEY } from '@flotilla/proto';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { parseToken, secretMatches, type ParsedToken } from '../security/secret-token.js';

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
   * every replica through Redis) and at the latest after CACHE_TTL_MS, which
   * bounds the damage of a lost pub/sub message; open streams are re-checked
   * against the database independently (AgentGateway).
   */
  private readonly verified = new Map<string, { hash: string; name: string; expiresAt: number }>();
  /** Bumped on every revocation event, so a lookup racing with a revocation is not cached. */
  private epoch = 0;
  private unsubscribe: (() => void) | undefined;
  static readonly CACHE_TTL_MS = 60_000;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type === 'credential-revoked') {
        this.epoch++;
        this.verified.delete(event.clusterId);
      }
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
    const cached = this.verified.get(parsed.id);
    if (cached && cached.expiresAt > Date.now() && secretMatches(parsed.secret, cached.hash)) {
      return { clusterId: parsed.id, clusterName: cached.name, credential: parsed };
    }
    const epoch = this.epoch;
    const cluster = await this.prisma.cluster.findUnique({ where: { id: parsed.id }, select: { name: true, credentialHash: true } });
    if (!cluster || !cluster.credentialHash || !secretMatches(parsed.secret, cluster.credentialHash)) throw invalid();
    if (epoch === this.epoch) this.verified.set(parsed.id, { hash: cluster.credentialHash, name: cluster.name, expiresAt: Date.now() + ClusterAuthenticator.CACHE_TTL_MS });
    return { clusterId: parsed.id, clusterName: cluster.name, credential: parsed };
  }

  /** Ids of the given principals whose credential is no longer valid. */
  async invalidAmong(principals: ClusterPrincipal[]): Promise<Set<ClusterPrincipal>> {
    if (principals.length === 0) return new Set();
    const ids = [...new Set(principals.map((p) => p.clusterId))];
    const rows = await this.prisma.cluster.findMany({ where: { id: { in: ids } }, select: { id: true, credentialHash: true } });
    const hashes = new Map(rows.map((r) => [r.id, r.credentialHash]));
    for (const id of ids) if (!hashes.get(id)) this.verified.delete(id);
    return new Set(principals.filter((p) => !secretMatches(p.credential.secret, hashes.get(p.clusterId))));
  }
}

function invalid(): DomainError {
  return new DomainError('ClusterCredentialInvalid', 'cluster credential is invalid or was revoked; register the agent again');
}
