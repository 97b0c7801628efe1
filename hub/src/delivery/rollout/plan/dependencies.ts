import { matchesSelector, type Labels } from '@flotilla/core';
import type { BundleDependency } from '@flotilla/render';

/** A bundle as dependsOn resolution sees it. */
export interface DependencyNode {
  id: string;
  name: string;
  labels: Labels;
  dependsOn: BundleDependency[];
}

/** One resolved dependency: the bundles it names or selects, and the states that satisfy it. */
export interface ResolvedDependency {
  what: string;
  bundleIds: string[];
  acceptedStates: string[];
}

export type DependencyResolution = { ok: true; deps: ResolvedDependency[] } | { ok: false; cycle: string[] };

/** Default `acceptedStates` (Fleet's). */
export const DEFAULT_ACCEPTED_STATES = ['Ready'];

function matches(dep: BundleDependency, node: DependencyNode): boolean {
  if (dep.name !== undefined && dep.name !== '' && dep.name !== node.name) return false;
  if (dep.selector !== undefined && !matchesSelector(dep.selector, node.labels)) return false;
  return true;
}

/**
 * Resolves a bundle's dependsOn to bundles (pure): by name, by label
 * selector, or both (ANDed, as Fleet). A bundle never depends on itself
 * through a selector. A cycle through the bundle (a → b → a) is an error
 * naming the bundles in it; a dependency that matches no bundle resolves to
 * none (the clusters wait until one exists).
 */
export function resolveDependencies(self: DependencyNode, all: DependencyNode[]): DependencyResolution {
  const edges = (node: DependencyNode) => all.filter((other) => other.id !== node.id && node.dependsOn.some((d) => matches(d, other)));
  const cycle = findCycle(self, edges);
  if (cycle) return { ok: false, cycle };
  return {
    ok: true,
    deps: self.dependsOn.map((d) => ({
      what: d.name ? `bundle "${d.name}"` : `bundles selected by ${JSON.stringify(d.selector)}`,
      bundleIds: all.filter((o) => o.id !== self.id && matches(d, o)).map((o) => o.id),
      acceptedStates: d.acceptedStates?.length ? d.acceptedStates : DEFAULT_ACCEPTED_STATES,
    })),
  };
}

/** A path self → … → self through the dependency graph, or undefined. */
function findCycle(self: DependencyNode, edges: (n: DependencyNode) => DependencyNode[]): string[] | undefined {
  const seen = new Set<string>();
  const walk = (node: DependencyNode, path: string[]): string[] | undefined => {
    for (const next of edges(node)) {
      if (next.id === self.id) return [...path, self.name];
      if (seen.has(next.id)) continue;
      seen.add(next.id);
      const found = walk(next, [...path, next.name]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(self, [self.name]);
}

/** What the dependency's deployment on one cluster shows (docs/rollouts.md, displayed state). */
export interface DependencyState {
  bundleId: string;
  clusterId: string;
  state: string;
}

/**
 * Per cluster: whether every dependency is in an accepted state there, and
 * what it waits for. A dependency bundle that does not target the cluster
 * is not met there (as Fleet: the dependent waits).
 */
export function dependenciesMet(deps: ResolvedDependency[], states: DependencyState[], clusterId: string): { met: boolean; waitingFor?: string } {
  const here = new Map(states.filter((s) => s.clusterId === clusterId).map((s) => [s.bundleId, s.state]));
  for (const dep of deps) {
    if (dep.bundleIds.length === 0) return { met: false, waitingFor: `${dep.what}: no such bundle` };
    for (const id of dep.bundleIds) {
      const state = here.get(id);
      if (state === undefined) return { met: false, waitingFor: `${dep.what}: not deployed to this cluster` };
      if (!dep.acceptedStates.includes(state)) return { met: false, waitingFor: `${dep.what}: ${state}, needs ${dep.acceptedStates.join(' or ')}` };
    }
  }
  return { met: true };
}
