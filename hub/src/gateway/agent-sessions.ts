import type { ClusterPrincipal } from './cluster-authenticator.js';

/** One open Watch stream on this replica. */
export interface AgentSession {
  principal: ClusterPrincipal;
  /** Re-reads the desired state and sends it if it is newer than the last one sent (serialised per stream). */
  refresh(): Promise<void>;
  /** True when `generation` (from PostgreSQL) is newer than what this stream last sent. */
  isBehind(generation: bigint): boolean;
  /** Ends the stream with UNAUTHENTICATED: the agent must register again. */
  revoke(message: string): void;
  /** Ends the stream with UNAVAILABLE: the agent reconnects with the same credential. */
  close(message: string): void;
}

/** The Watch streams this hub replica holds, by cluster id. */
export class AgentSessions<S extends AgentSession = AgentSession> {
  private readonly byCluster = new Map<string, Set<S>>();

  add(session: S): () => void {
    const id = session.principal.clusterId;
    let set = this.byCluster.get(id);
    if (!set) this.byCluster.set(id, (set = new Set()));
    set.add(session);
    return () => {
      set.delete(session);
      if (set.size === 0 && this.byCluster.get(id) === set) this.byCluster.delete(id);
    };
  }

  forCluster(clusterId: string): S[] {
    return [...(this.byCluster.get(clusterId) ?? [])];
  }

  all(): S[] {
    return [...this.byCluster.values()].flatMap((s) => [...s]);
  }

  clusterIds(): string[] {
    return [...this.byCluster.keys()];
  }

  get size(): number {
    let n = 0;
    for (const set of this.byCluster.values()) n += set.size;
    return n;
  }
}
