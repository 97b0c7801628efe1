import type { DesiredState } from '@flotilla/proto';
import type { AgentSession } from './agent-sessions.js';
import type { ClusterPrincipal } from './cluster-authenticator.js';
import { desiredState, mustSend, type DesiredStateSnapshot } from './desired-state.js';

export interface WatchSessionDeps {
  principal: ClusterPrincipal;
  /** Generation the agent said it holds when it opened the stream. */
  agentKnownGeneration: string;
  /** Reads the cluster's desired state from PostgreSQL (generation first). */
  read: () => Promise<DesiredStateSnapshot>;
  /** Writes one message on the stream. */
  send: (state: DesiredState) => void;
  /** Ends the stream with a gRPC status. */
  end: (kind: 'revoke' | 'close', message: string) => void;
}

/**
 * One Watch stream's view of its cluster's desired state. Refreshes are
 * serialised: while one reads, further requests collapse into a single
 * trailing refresh that starts after it, so reads happen one after another,
 * each sees a database at least as new as the one before, and with
 * `mustSend` an older state can never be written after a newer one (issue 8:
 * concurrent refreshes used to interleave).
 */
export class WatchSession implements AgentSession {
  private lastSent: bigint | undefined;
  private running: Promise<void> | undefined;
  private trailing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly deps: WatchSessionDeps) {}

  get principal(): ClusterPrincipal {
    return this.deps.principal;
  }

  /** Generation last written on this stream (undefined before the first). */
  get sentGeneration(): bigint | undefined {
    return this.lastSent;
  }

  /** True when PostgreSQL holds a newer state than this stream last sent. */
  isBehind(generation: bigint): boolean {
    return !this.closed && (this.lastSent === undefined || generation > this.lastSent);
  }

  refresh(): Promise<void> {
    if (this.trailing) return this.trailing;
    if (!this.running) {
      this.running = this.readAndSend().finally(() => (this.running = undefined));
      return this.running;
    }
    this.trailing = this.running
      .catch(() => undefined)
      .then(() => {
        this.trailing = undefined;
        return this.refresh();
      });
    return this.trailing;
  }

  revoke(message: string): void {
    this.end('revoke', message);
  }

  close(message: string): void {
    this.end('close', message);
  }

  /** The stream ended (by the peer or by us): no more writes. */
  markClosed(): void {
    this.closed = true;
  }

  private end(kind: 'revoke' | 'close', message: string): void {
    if (this.closed) return;
    this.closed = true;
    this.deps.end(kind, message);
  }

  private async readAndSend(): Promise<void> {
    const snapshot = await this.deps.read();
    if (this.closed) return;
    if (mustSend(snapshot.generation, this.lastSent, this.deps.agentKnownGeneration)) {
      this.deps.send(desiredState(snapshot));
    }
    if (this.lastSent === undefined || snapshot.generation > this.lastSent) this.lastSent = snapshot.generation;
  }
}
