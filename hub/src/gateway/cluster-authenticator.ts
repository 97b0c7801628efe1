import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { CREDENTIAL_METADATA_KEY } from '@flotilla/proto';
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
export class ClusterAuthenticator {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async authenticate(metadata: Metadata): Promise<ClusterPrincipal> {
    const header = metadata.get(CREDENTIAL_METADATA_KEY)[0];
    if (typeof header !== 'string' || header === '') {
      throw new DomainError('ClusterCredentialMissing', 'missing "authorization: Bearer <cluster credential>" metadata');
    }
    const parsed = parseToken(header.replace(/^Bearer\s+/i, ''), 'cl');
    if (!parsed) throw invalid();
    const cluster = await this.prisma.cluster.findUnique({ where: { id: parsed.id }, select: { name: true, credentialHash: true } });
    if (!cluster || !secretMatches(parsed.secret, cluster.credentialHash)) throw invalid();
    return { clusterId: parsed.id, clusterName: cluster.name, credential: parsed };
  }

  /** Ids of the given principals whose credential is no longer valid. */
  async invalidAmong(principals: ClusterPrincipal[]): Promise<Set<ClusterPrincipal>> {
    if (principals.length === 0) return new Set();
    const ids = [...new Set(principals.map((p) => p.clusterId))];
    const rows = await this.prisma.cluster.findMany({ where: { id: { in: ids } }, select: { id: true, credentialHash: true } });
    const hashes = new Map(rows.map((r) => [r.id, r.credentialHash]));
    return new Set(principals.filter((p) => !secretMatches(p.credential.secret, hashes.get(p.clusterId))));
  }
}

function invalid(): DomainError {
  return new DomainError('ClusterCredentialInvalid', 'cluster credential is invalid or was revoked; register the agent again');
}
