import { Logger } from '@nestjs/common';
import type { HubMetrics } from '../platform/metrics/metrics.js';

/** A Register refused by the trust rules (issue #9): who asked, with which token, for what. Never the token secret. */
export interface RegistrationRefusal {
  reason: 'ClusterIdentityTaken' | 'RegistrationTokenClusterMismatch' | 'AgentLabelNotAllowed';
  tokenId: string;
  /** The cluster whose identity was presented, or the one the token is bound to. */
  clusterId?: string | undefined;
  clusterName?: string | undefined;
  /** The caller's address as the gRPC server saw it. */
  peer?: string | undefined;
  /** The refused label key (AgentLabelNotAllowed). */
  labelKey?: string | undefined;
}

const logger = new Logger('RegistrationAudit');

/**
 * Counts the refusal (`flotilla_registration_refused_total{reason}`) and
 * writes one warn line of `key=value` fields, so an operator can see that
 * someone with a valid token tried to take over a cluster or to get labels
 * its token does not give. One line also in text format (objects would span
 * several).
 */
export function reportRefusal(metrics: HubMetrics, refusal: RegistrationRefusal): void {
  metrics.registrationRefused.inc({ reason: refusal.reason });
  const fields = [
    `reason=${refusal.reason}`,
    `tokenId=${refusal.tokenId}`,
    refusal.clusterId && `clusterId=${refusal.clusterId}`,
    refusal.clusterName && `clusterName=${refusal.clusterName}`,
    refusal.labelKey && `labelKey=${JSON.stringify(refusal.labelKey)}`,
    `peer=${refusal.peer ?? 'unknown'}`,
  ];
  logger.warn(`registration refused: ${fields.filter(Boolean).join(' ')}`);
}
