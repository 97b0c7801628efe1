import type { Labels } from '@flotilla/core';
import type { BundleDependency, FleetYaml, RolloutStrategy } from '@flotilla/render';
import type { DeploymentState, Prisma } from '../../generated/prisma/client.js';
import type { DeliveryWindow } from './plan/delivery-window.js';
import type { PartitionStatus } from './plan/rollout-plan.js';

export type Tx = Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRaw'>;

/** A bundle's rollout settings, from the API, its fleet.yaml and its GitRepo. */
export interface RolloutSettings {
  name: string;
  gitRepo: string;
  strategy: RolloutStrategy;
  paused: boolean;
  dependsOn: BundleDependency[];
  /** Delivery windows: the bundle's own (API), else its GitRepo's; none = always open. */
  windows: DeliveryWindow[];
}

/** One deployment with its cluster, as the rollout step reads it. */
export interface DeploymentRow {
  id: string;
  cluster_id: string;
  cluster_name: string;
  labels: Labels;
  staged_revision: string;
  staged_render_key: string | null;
  staged_options: unknown;
  desired_revision: string | null;
  render_key: string | null;
  options: unknown;
  applied_revision: string | null;
  state: DeploymentState;
  deployed_at: Date | null;
}

/** The bundle's latest history entry (its current rollout). */
export interface RolloutRow {
  id: string;
  seq: number;
  state: string;
  message: string;
  partitions: PartitionStatus[];
  promoted: string[];
}

/**
 * Effective settings: a directory bundle's fleet.yaml `rolloutStrategy` over
 * its GitRepo's defaults (field by field); an API bundle's own. Paused when
 * the bundle, its fleet.yaml or its GitRepo's rollouts are paused.
 */
export async function readRolloutSettings(tx: Tx, bundleId: string): Promise<RolloutSettings | undefined> {
  const row = (
    await tx.$queryRaw<
      {
        name: string;
        strategy: RolloutStrategy | null;
        paused: boolean;
        depends_on: BundleDependency[] | null;
        schedule: DeliveryWindow[] | null;
        fleet_yaml: FleetYaml | null;
        repo: string | null;
        repo_strategy: RolloutStrategy | null;
        repo_paused: boolean | null;
        repo_schedule: DeliveryWindow[] | null;
      }[]
    >`
      SELECT b.name, b.rollout_strategy AS strategy, b.paused, b.depends_on, b.schedule, s.fleet_yaml, g.name AS repo,
             g.rollout_strategy AS repo_strategy, g.rollout_paused AS repo_paused, g.schedule AS repo_schedule
      FROM bundles b LEFT JOIN bundle_sources s ON s.id = b.source_id LEFT JOIN git_repos g ON g.id = b.git_repo_id
      WHERE b.id = ${bundleId}::uuid`
  )[0];
  if (!row) return undefined;
  const fy = row.fleet_yaml ?? {};
  return {
    name: row.name,
    gitRepo: row.repo ?? '',
    strategy: { ...(row.repo_strategy ?? {}), ...(fy.rolloutStrategy ?? row.strategy ?? {}) },
    paused: row.paused || fy.paused === true || row.repo_paused === true,
    dependsOn: fy.dependsOn ?? row.depends_on ?? [],
    windows: row.schedule ?? row.repo_schedule ?? [],
  };
}

/** Every deployment of the bundle with its cluster, in cluster-name order (the order auto-partitions take). */
export function readDeployments(tx: Tx, bundleId: string): Promise<DeploymentRow[]> {
  return tx.$queryRaw<DeploymentRow[]>`
    SELECT d.id::text, d.cluster_id::text, c.name AS cluster_name, c.labels, d.staged_revision, d.staged_render_key,
           d.staged_options, d.desired_revision, d.render_key, d.options, d.applied_revision, d.state, d.deployed_at
    FROM deployments d JOIN clusters c ON c.id = d.cluster_id
    WHERE d.bundle_id = ${bundleId}::uuid ORDER BY c.name`;
}

export async function readLatestRollout(tx: Tx, bundleId: string): Promise<RolloutRow | undefined> {
  return (
    await tx.$queryRaw<RolloutRow[]>`
      SELECT id::text, seq, state, message, partitions, promoted FROM rollouts WHERE bundle_id = ${bundleId}::uuid ORDER BY seq DESC LIMIT 1`
  )[0];
}
