import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { status, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import type {
  AgentServiceServer,
  GetBundleContentRequest,
  GetBundleContentResponse,
  GetBundleContentsRequest,
  GetBundleContentsResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  ReportStatusRequest,
  ReportStatusResponse,
  WatchRequest,
  WatchResponse,
} from '@flotilla/proto';
import { RolloutQueue } from '../delivery/rollout/rollout.queue.js';
import { ClusterEventBus, type ClusterEvent } from '../platform/events/cluster-events.bus.js';
import { PresenceService } from '../clusters/presence.service.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { AgentSessions, type AgentSession } from './agent-sessions.js';
import { WatchSession } from './watch-session.js';
import { DesiredStateBatcher } from './desired-state.batcher.js';
import { DeploymentStatusService } from '../status/deployment-status.service.js';
import { AssignmentSource } from './assignment.source.js';
import { BundleContentHandler } from './bundle-content.handler.js';
import { ClusterAuthenticator, type ClusterPrincipal } from './cluster-authenticator.js';
import { toGrpcError } from './grpc-status.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { stalled } from './streams/flow-controlled.writer.js';
import { validateAgentVersion, validateReport } from './report.validation.js';
import { LatestStateWriter } from './streams/latest-state.writer.js';

/** gRPC status of a stream the hub ends: revoke → register again; close → reconnect; stalled → reconnect (and read). */
const END_CODES = { revoke: status.UNAUTHENTICATED, close: status.UNAVAILABLE, stalled: status.RESOURCE_EXHAUSTED } as const;

/** Implements flotilla.v1.AgentService: Watch, ReportStatus, Heartbeat. */
@Injectable()
export class AgentGateway implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AgentGateway.name);
  readonly sessions = new AgentSessions<WatchSession>();
  private readonly batcher: DesiredStateBatcher;
  private unsubscribe: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(ClusterAuthenticator) private readonly auth: ClusterAuthenticator,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
    @Inject(PresenceService) private readonly presence: PresenceService,
    @Inject(AssignmentSource) private readonly assignments: AssignmentSource,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
    @Inject(DeploymentStatusService) private readonly statuses: DeploymentStatusService,
    @Inject(BundleContentHandler) private readonly content: BundleContentHandler,
    @Inject(RolloutQueue) private readonly rollouts: RolloutQueue,
  ) {
    this.batcher = new DesiredStateBatcher((ids) => this.assignments.snapshots(ids), { minIntervalMs: config.desiredStateMinIntervalMs });
  }

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => void this.onEvent(event));
    // An open stream is proof of life (HTTP/2 keepalive detects dead peers), so
    // agents are told not to send Heartbeats while streaming: at 5,000 idle
    // clusters those cost ~80 % of the hub's idle CPU (bench/idle-agents).
    this.every(this.config.heartbeatIntervalSeconds, () => {
      for (const id of this.sessions.clusterIds()) this.presence.markSeen(id);
    });
    // Safety net for revocations whose pub/sub message was lost.
    this.every(this.config.streamRecheckSeconds, () => this.recheckAll());
    // Safety net for desired-state events that were lost (pub/sub is fire-and-forget): a
    // stream behind PostgreSQL's generation is refreshed within this bound.
    this.every(this.config.desiredStateRecheckSeconds, async () => void (await this.recheckGenerations()));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    for (const t of this.timers) clearInterval(t);
    for (const s of this.sessions.all()) s.close('hub is shutting down; reconnect');
  }

  readonly service: AgentServiceServer = {
    watch: (call) => void this.watch(call),
    reportStatus: (call, callback) => void this.unary('ReportStatus', call, callback, (p, r) => this.reportStatus(p, r)),
    heartbeat: (call, callback) => void this.unary('Heartbeat', call, callback, (p, r) => this.heartbeat(p, r)),
    getBundleContent: (call) => void this.getBundleContent(call),
    getBundleContents: (call) => void this.getBundleContents(call),
  };

  private getBundleContent(call: ServerWritableStream<GetBundleContentRequest, GetBundleContentResponse>): Promise<void> {
    return this.contentCall('GetBundleContent', call, (principal, sizeOf) => this.content.send(principal, call, sizeOf(call.request.revision)));
  }

  private getBundleContents(call: ServerWritableStream<GetBundleContentsRequest, GetBundleContentsResponse>): Promise<void> {
    return this.contentCall('GetBundleContents', call, (principal, sizeOf) => this.content.sendMany(principal, call, sizeOf));
  }

  /**
   * A content call: authenticated, then served with what the cluster's open streams on this replica know of the
   * sizes of its assigned revisions (a revision assigned moments ago needs no database check).
   */
  private async contentCall(
    method: 'GetBundleContent' | 'GetBundleContents',
    call: ServerWritableStream<unknown, unknown>,
    send: (principal: ClusterPrincipal, sizeOf: (revision: string) => number | undefined) => Promise<void>,
  ): Promise<void> {
    let principal: ClusterPrincipal | undefined;
    try {
      principal = await this.auth.authenticate(call.metadata);
      const sessions = this.sessions.forCluster(principal.clusterId);
      await send(principal, (revision) => sessions.map((s) => s.assignedRevisionSize(revision)).find((size) => size !== undefined));
      this.metrics.agentCalls.inc({ method, result: 'ok' });
    } catch (error) {
      if (error instanceof DomainError && error.reason === 'TooManyStreams') this.metrics.streamsDropped.inc({ stream: 'GetBundleContent', reason: 'limit' });
      if (error instanceof DomainError && error.reason === 'StreamStalled') this.logger.warn(`${method} of cluster ${principal?.clusterId} dropped: ${error.message}`);
      call.emit('error', this.rejected(method, error));
    }
  }

  private async watch(call: ServerWritableStream<WatchRequest, WatchResponse>): Promise<void> {
    let principal: ClusterPrincipal;
    try {
      principal = await this.auth.authenticate(call.metadata);
      validateAgentVersion(call.request.agentVersion);
    } catch (error) {
      call.emit('error', this.rejected('Watch', error));
      return;
    }
    this.metrics.agentCalls.inc({ method: 'Watch', result: 'ok' });
    // Every message after the first (session) is a whole desired state, superseding the one before.
    const writer = new LatestStateWriter<WatchResponse>(call, this.config.streams.stallSeconds * 1000, () => {
      this.metrics.streamsDropped.inc({ stream: 'Watch', reason: 'stalled' });
      this.logger.warn(`Watch of cluster ${principal.clusterId} dropped: its agent read nothing for ${this.config.streams.stallSeconds} s`);
      session.close(stalled(this.config.streams.stallSeconds * 1000).message, 'stalled');
    });
    const session = new WatchSession({
      principal,
      agentKnownGeneration: call.request.knownGeneration,
      batcher: this.batcher,
      send: (state) => writer.write({ event: { $case: 'desiredState', value: state } }),
      end: (kind, details) => {
        close();
        call.emit('error', { code: END_CODES[kind], details });
      },
    });
    const remove = this.sessions.add(session);
    // A newer stream of the same cluster replaces the oldest beyond the bound (an agent that reconnected
    // before the hub saw its old connection die, or one opening streams it never reads).
    const mine = this.sessions.forCluster(principal.clusterId);
    for (const old of mine.slice(0, Math.max(0, mine.length - this.config.streams.watchPerCluster))) {
      this.metrics.streamsDropped.inc({ stream: 'Watch', reason: 'replaced' });
      old.close(`replaced by a newer Watch stream of this cluster (at most ${this.config.streams.watchPerCluster} per cluster on a hub replica)`);
    }
    this.metrics.streamsOpen.set(this.sessions.size);
    let removed = false;
    const close = () => {
      session.markClosed();
      if (removed) return;
      removed = true;
      remove();
      this.metrics.streamsOpen.set(this.sessions.size);
    };
    call.on('cancelled', close);
    call.on('close', close);
    call.on('error', close);
    try {
      await this.presence.markConnected(principal.clusterId, call.request.agentVersion);
      writer.write({
        event: {
          $case: 'session',
          value: {
            clusterId: principal.clusterId,
            clusterName: principal.clusterName,
            // The open stream is the heartbeat: see the every() in onModuleInit.
            heartbeatIntervalSeconds: 0,
          },
        },
      });
      await session.refresh();
    } catch (error) {
      this.logger.error(`Watch setup failed for cluster ${principal.clusterId}: ${(error as Error).message}`);
      close();
      call.emit('error', toGrpcError(error));
    }
  }

  private async reportStatus(principal: ClusterPrincipal, request: ReportStatusRequest): Promise<ReportStatusResponse> {
    validateReport(request);
    this.presence.markSeen(principal.clusterId);
    const { accepted, changed } = await this.statuses.record(principal.clusterId, request.deployments);
    // A state change may let the rollouts of this cluster's bundles (or of bundles depending on them) go on.
    if (changed > 0) void this.rollouts.afterReport(principal.clusterId);
    return { accepted };
  }

  private async heartbeat(principal: ClusterPrincipal, request: HeartbeatRequest): Promise<HeartbeatResponse> {
    validateAgentVersion(request.agentVersion);
    this.presence.markSeen(principal.clusterId);
    return { heartbeatIntervalSeconds: this.config.heartbeatIntervalSeconds };
  }

  private async unary<Req, Res>(
    method: string,
    call: ServerUnaryCall<Req, Res>,
    callback: sendUnaryData<Res>,
    handler: (principal: ClusterPrincipal, request: Req) => Promise<Res>,
  ): Promise<void> {
    try {
      const principal = await this.auth.authenticate(call.metadata);
      const response = await handler(principal, call.request);
      this.metrics.agentCalls.inc({ method, result: 'ok' });
      callback(null, response);
    } catch (error) {
      callback(this.rejected(method, error));
    }
  }

  /** Counts a failed call and maps its error; errors that are not the caller's fault are logged (never the credential). */
  private rejected(method: string, error: unknown) {
    this.metrics.agentCalls.inc({ method, result: 'rejected' });
    const grpcError = toGrpcError(error);
    if (grpcError.code === status.UNAVAILABLE || grpcError.code === status.INTERNAL) {
      this.logger.warn(`${method} failed (${status[grpcError.code]}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    return grpcError;
  }

  private async onEvent(event: ClusterEvent): Promise<void> {
    try {
      if (event.type === 'desired-state-changed') {
        const sessions = event.clusterIds.flatMap((id) => this.sessions.forCluster(id));
        await Promise.all(sessions.map((s) => s.refresh().catch((error: unknown) => this.refreshFailed(s, error))));
      } else {
        const sessions = this.sessions.forCluster(event.clusterId);
        if (sessions.length) await this.revokeInvalid(sessions);
      }
    } catch (error) {
      this.logger.error(`handling ${event.type} failed: ${(error as Error).message}`);
    }
  }

  /** A failed refresh is retried by the generation re-check (the stream stays behind until then). */
  private refreshFailed(session: AgentSession, error: unknown): void {
    this.logger.warn(`desired-state refresh for cluster ${session.principal.clusterId} failed: ${(error as Error).message}`);
  }

  /** Refreshes every stream whose last sent generation is below its cluster's generation in PostgreSQL. */
  async recheckGenerations(): Promise<number> {
    try {
      const generations = await this.assignments.generations(this.sessions.clusterIds());
      const behind = this.sessions.all().filter((s) => {
        const generation = generations.get(s.principal.clusterId);
        return generation !== undefined && s.isBehind(generation);
      });
      if (behind.length) this.metrics.desiredStateRepairs.inc(behind.length);
      await Promise.all(behind.map((s) => s.refresh().catch((error: unknown) => this.refreshFailed(s, error))));
      return behind.length;
    } catch (error) {
      this.logger.warn(`desired-state re-check failed: ${(error as Error).message}`);
      return 0;
    }
  }

  private async recheckAll(): Promise<void> {
    try {
      await this.revokeInvalid(this.sessions.all());
    } catch (error) {
      this.logger.warn(`stream re-check failed: ${(error as Error).message}`);
    }
  }

  private async revokeInvalid(sessions: AgentSession[]): Promise<void> {
    const invalid = await this.auth.invalidAmong(sessions.map((s) => s.principal));
    for (const s of sessions) {
      if (invalid.has(s.principal)) s.revoke('cluster credential was revoked or replaced; register the agent again');
    }
  }

  private every(seconds: number, fn: () => void | Promise<void>): void {
    const timer = setInterval(() => void fn(), seconds * 1000);
    timer.unref();
    this.timers.push(timer);
  }
}
