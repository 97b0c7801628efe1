import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The hub's Prometheus registry and every metric it exports. */
export class HubMetrics {
  readonly registry = new Registry();
  readonly streamsOpen = new Gauge({
    name: 'flotilla_agent_streams_open',
    help: 'Agent Watch streams open on this hub replica',
    registers: [this.registry],
  });
  readonly registrations = new Counter({
    name: 'flotilla_registrations_total',
    help: 'Register calls by result reason',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly registrationRefused = new Counter({
    name: 'flotilla_registration_refused_total',
    help: 'Register calls refused by the trust rules (identity of another cluster, token bound elsewhere, agent label not allowed), by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly agentCalls = new Counter({
    name: 'flotilla_agent_calls_total',
    help: 'Agent gRPC calls by method and result',
    labelNames: ['method', 'result'] as const,
    registers: [this.registry],
  });
  readonly desiredStateRepairs = new Counter({
    name: 'flotilla_desired_state_repairs_total',
    help: 'Streams found behind their cluster\'s desired-state generation by the periodic re-check (a lost or late event)',
    registers: [this.registry],
  });
  readonly contentStreamsActive = new Gauge({
    name: 'flotilla_content_streams_active',
    help: 'GetBundleContent and GetBundleContents streams being served on this hub replica',
    registers: [this.registry],
  });
  readonly streamsDropped = new Counter({
    name: 'flotilla_agent_streams_dropped_total',
    help: 'Agent streams the hub ended to bound its memory, by stream (Watch, GetBundleContent) and reason (stalled: the agent read nothing for FLOTILLA_STREAM_STALL_SECONDS; replaced: a newer Watch of the same cluster went over FLOTILLA_WATCH_STREAMS_PER_CLUSTER; limit: refused, too many at once)',
    labelNames: ['stream', 'reason'] as const,
    registers: [this.registry],
  });
  readonly contentDatabaseBytes = new Counter({
    name: 'flotilla_content_database_bytes_total',
    help: 'Bundle revision content bytes read from PostgreSQL to stream to agents',
    registers: [this.registry],
  });
  readonly contentCache = new Counter({
    name: 'flotilla_content_cache_total',
    help: 'GetBundleContent streams by how their content was found (hit, miss, uncached: streamed in slices)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly statusWriteBatches = new Counter({
    name: 'flotilla_status_write_batches_total',
    help: 'Reads of reported statuses against PostgreSQL: each covers the reports of every cluster that arrived while the previous one ran',
    registers: [this.registry],
  });

  readonly statusWrites = new Counter({
    name: 'flotilla_status_reports_total',
    help: 'Deployment statuses reported by agents, by whether they changed the stored status (written) or not (unchanged)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly bundleSetWrites = new Counter({
    name: 'flotilla_bundleset_bundles_written_total',
    help: 'Bundles BundleSet evaluations created, updated or deleted (an evaluation that changes nothing writes none)',
    labelNames: ['op'] as const,
    registers: [this.registry],
  });
  readonly bundleSetEvaluations = new Histogram({
    name: 'flotilla_bundleset_evaluation_seconds',
    help: 'BundleSet evaluations by result (Evaluated, GeneratorFailed, EmptyResult, ApprovalRequired, …)',
    labelNames: ['result'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly redisUp = new Gauge({
    name: 'flotilla_redis_up',
    help: 'Whether this hub replica\'s Redis connections (commands and pub/sub) are ready: 1 or 0',
    registers: [this.registry],
  });
  readonly fanoutRepairs = new Counter({
    name: 'flotilla_fanout_repairs_total',
    help: 'Bundles and clusters whose fan-out the repair sweep ran because its job was not run in time (lost enqueue, Redis down)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly clusters = new Gauge({
    name: 'flotilla_clusters',
    help: 'Registered clusters by connection state (refreshed by the housekeeping job)',
    labelNames: ['connection'] as const,
    registers: [this.registry],
  });

  readonly manifestParses = new Gauge({
    name: 'flotilla_manifest_parses_in_flight',
    help: 'Bundle manifest parses running or waiting on the parser threads of this hub replica',
    registers: [this.registry],
  });

  readonly renders = new Counter({
    name: 'flotilla_renders_total',
    help: 'Renders of a directory bundle customisation run by this process (one per distinct customisation, not per cluster), by kind and result',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });
  readonly renderSeconds = new Histogram({
    name: 'flotilla_render_duration_seconds',
    help: 'Time of one render (overlays, helm, kustomize, parsing) of one customisation',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'flotilla_hub_' });
  }
}
