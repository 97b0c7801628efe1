import type { DesiredState } from '@flotilla/proto';
import type { AgentSession } from './agent-sessions.js';
import type { ClusterPrincipal } from './cluster-authenticator.js';
import type { DesiredStateBatcher } from './desired-state.batcher.js';
import { desiredState, mustSend, type DesiredStateSnapshot } from './desired-state.js';

/** Why the hub ends a Watch: revoke (register again), close (reconnect), stalled (the agent did not read). */
export type WatchEnd = 'revoke' | 'close' | 'stalled';

export interface WatchSessionDeps {
  principal: ClusterPrincipal;
  /** Generation the agent said it holds when it opened the stream. */
  agentKnownGeneration: string;
  /** Reads desired states for many streams at once, one batch after the other. */
  batcher: DesiredStateBatcher;
  /** Writes one message on the stream. */
  send: (state: DesiredState) => void;
  /** Ends the stream with a gRPC status. */
  end: (kind: WatchEnd, message: string) => void;
}

/**
 * One Watch stream's view of its cluster's desired state. Reads go through
 * the batcher, which never runs two reads at once, and a state is written
 * only when its generation is newer than the last one written (`mustSend`),
 * so an older state can never follow a newer one (issue 8: concurrent
 * refreshes used to interleave).
 */
export class WatchSession implements AgentSession {
  private lastSent: bigint | undefined;
  /** Revisions of the last state written, with their sizes: what this cluster may fetch. */
  private revisions = new Map<string, number>();
  private closed = false;

  constructor(private readonly deps: WatchSessionDeps) {}

  get principal(): ClusterPrincipal {
    return this.deps.principal;
  }

  get clusterId(): string {
    return this.deps.principal.clusterId;
  }

  /** Generation last written on this stream (undefined before the first). */
  get sentGeneration(): bigint | undefined {
    return this.lastSent;
  }

  /** Size of `revision` when the last state this stream holds assigns it. */
  assignedRevisionSize(revision: string): number | undefined {
    return this.revisions.get(revision);
  }

  /** True when PostgreSQL holds a newer state than this stream last sent. */
  isBehind(generation: bigint): boolean {
    return !this.closed && (this.lastSent === undefined || generation > this.lastSent);
  }

  refresh(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.deps.batcher.request(this);
  }

  deliver(snapshot: DesiredStateSnapshot): void {
    if (this.closed) return;
    if (mustSend(snapshot.generation, this.lastSent, this.deps.agentKnownGeneration)) {
      this.deps.send(desiredState(snapshot));
    }
    if (this.lastSent === undefined || snapshot.generation > this.lastSent) {
      this.lastSent = snapshot.generation;
      this.revisions = new Map(snapshot.assignments.map((a) => [a.revision, a.contentSize]));
    }
  }

  revoke(message: string): void {
    this.end('revoke', message);
  }

  close(message: string, kind: Exclude<WatchEnd, 'revoke'> = 'close'): void {
    this.end(kind, message);
  }

  /** The stream ended (by the peer or by us): no more writes. */
  markClosed(): void {
    this.closed = true;
  }

  private end(kind: WatchEnd, message: string): void {
    if (this.closed) return;
    this.closed = true;
    this.deps.end(kind, message);
  }
}
