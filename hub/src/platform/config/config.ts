import { resolve } from 'node:path';
import { envSchema, type HubEnv, type HubRole } from './config.schema.js';

export type { HubRole } from './config.schema.js';

export interface HubConfig {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  http: { host: string; port: number };
  grpc: { host: string; port: number; insecure: boolean; tlsCertFile?: string; tlsKeyFile?: string };
  bootstrapToken?: string;
  heartbeatIntervalSeconds: number;
  offlineAfterSeconds: number;
  streamRecheckSeconds: number;
  desiredStateRecheckSeconds: number;
  /** Least time between two desired states read for one stream (FLOTILLA_DESIRED_STATE_MIN_INTERVAL_MS). */
  desiredStateMinIntervalMs: number;
  /** Period of the fan-out repair sweep and the age of the fan-out markers it repairs. */
  fanoutRepairSeconds: number;
  contentCacheBytes: number;
  /** Rollouts: history entries kept per bundle; period of the rollout re-check and age of stale rollout requests. */
  rollouts: { historyDepth: number; recheckSeconds: number };
  /** Webhook deliveries: attempts and first retry delay; how long fleet events are kept. */
  webhooks: { attempts: number; backoffMs: number };
  eventRetentionHours: number;
  /** Bounds of agent streams (issue 9): per-cluster concurrency, buffered bytes, how long a stalled reader is kept. */
  streams: { contentPerCluster: number; contentBufferBytes: number; watchPerCluster: number; stallSeconds: number };
  /** Unreferenced bundle revisions are deleted after this long. */
  revisionGcGraceSeconds: number;
  /** Interval of the revision GC sweep. */
  revisionGcIntervalSeconds: number;
  /** Bundle manifests parsing off the event loop (bundles/manifest-parser.pool.ts). */
  manifestParser: { threads: number; queue: number; timeoutSeconds: number; inlineBelow: number };
  migrateOnStart: boolean;
  logFormat: 'json' | 'text';
  /** FLOTILLA_ROLE: what this process runs. */
  roles: ReadonlySet<HubRole>;
  /** Render jobs (the `render` role). */
  render: { helm?: string; kustomize?: string; chartCacheDir: string; timeoutSeconds: number; concurrency: number };
  /** FLOTILLA_SECRET_KEYS: the first seals, all open. */
  secretKeys: { id: string; key: Buffer }[];
  /** GitRepo syncs (on `render` processes). */
  git: { cacheDir: string; timeoutSeconds: number; concurrency: number; allowFileUrls: boolean };
}

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  readonly problems: { variable: string; message: string }[];
  constructor(problems: { variable: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the hub configuration from environment variables (pure). */
export function loadConfig(env: NodeJS.ProcessEnv): HubConfig {
  // Empty strings count as unset, as most deployment tools write them for "no value".
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(defined);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
      })),
    );
  }
  return fromEnv(parsed.data);
}

function fromEnv(e: HubEnv): HubConfig {
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.FLOTILLA_REDIS_PREFIX,
    http: { host: e.FLOTILLA_HTTP_HOST, port: e.FLOTILLA_HTTP_PORT },
    grpc: {
      host: e.FLOTILLA_GRPC_HOST,
      port: e.FLOTILLA_GRPC_PORT,
      insecure: e.FLOTILLA_GRPC_INSECURE,
      ...(e.FLOTILLA_GRPC_TLS_CERT ? { tlsCertFile: e.FLOTILLA_GRPC_TLS_CERT } : {}),
      ...(e.FLOTILLA_GRPC_TLS_KEY ? { tlsKeyFile: e.FLOTILLA_GRPC_TLS_KEY } : {}),
    },
    ...(e.FLOTILLA_BOOTSTRAP_TOKEN ? { bootstrapToken: e.FLOTILLA_BOOTSTRAP_TOKEN } : {}),
    heartbeatIntervalSeconds: e.FLOTILLA_HEARTBEAT_INTERVAL_SECONDS,
    offlineAfterSeconds: e.FLOTILLA_OFFLINE_AFTER_SECONDS,
    streamRecheckSeconds: e.FLOTILLA_STREAM_RECHECK_SECONDS,
    desiredStateRecheckSeconds: e.FLOTILLA_DESIRED_STATE_RECHECK_SECONDS,
    desiredStateMinIntervalMs: e.FLOTILLA_DESIRED_STATE_MIN_INTERVAL_MS,
    fanoutRepairSeconds: e.FLOTILLA_FANOUT_REPAIR_SECONDS,
    contentCacheBytes: e.FLOTILLA_CONTENT_CACHE_BYTES,
    rollouts: { historyDepth: e.FLOTILLA_ROLLOUT_HISTORY, recheckSeconds: e.FLOTILLA_ROLLOUT_RECHECK_SECONDS },
    webhooks: { attempts: e.FLOTILLA_WEBHOOK_ATTEMPTS, backoffMs: e.FLOTILLA_WEBHOOK_BACKOFF_MS },
    eventRetentionHours: e.FLOTILLA_EVENT_RETENTION_HOURS,
    streams: {
      contentPerCluster: e.FLOTILLA_CONTENT_STREAMS_PER_CLUSTER,
      contentBufferBytes: e.FLOTILLA_CONTENT_STREAM_BUFFER_BYTES,
      watchPerCluster: e.FLOTILLA_WATCH_STREAMS_PER_CLUSTER,
      stallSeconds: e.FLOTILLA_STREAM_STALL_SECONDS,
    },
    revisionGcGraceSeconds: e.FLOTILLA_REVISION_GC_GRACE_SECONDS,
    revisionGcIntervalSeconds: e.FLOTILLA_REVISION_GC_INTERVAL_SECONDS,
    manifestParser: {
      threads: e.FLOTILLA_MANIFEST_PARSER_THREADS,
      queue: e.FLOTILLA_MANIFEST_PARSER_QUEUE,
      timeoutSeconds: e.FLOTILLA_MANIFEST_PARSE_TIMEOUT_SECONDS,
      inlineBelow: e.FLOTILLA_MANIFEST_PARSE_INLINE_BELOW,
    },
    migrateOnStart: e.FLOTILLA_MIGRATE_ON_START,
    logFormat: e.FLOTILLA_LOG_FORMAT,
    roles: new Set(e.FLOTILLA_ROLE),
    render: {
      ...(e.FLOTILLA_HELM ? { helm: e.FLOTILLA_HELM } : {}),
      ...(e.FLOTILLA_KUSTOMIZE ? { kustomize: e.FLOTILLA_KUSTOMIZE } : {}),
      // Absolute: tools run in scratch directories, where a relative cache path names nothing.
      chartCacheDir: resolve(e.FLOTILLA_CHART_CACHE_DIR),
      timeoutSeconds: e.FLOTILLA_RENDER_TIMEOUT_SECONDS,
      concurrency: e.FLOTILLA_RENDER_CONCURRENCY,
    },
    secretKeys: e.FLOTILLA_SECRET_KEYS,
    git: { cacheDir: resolve(e.FLOTILLA_GIT_CACHE_DIR), timeoutSeconds: e.FLOTILLA_GIT_TIMEOUT_SECONDS, concurrency: e.FLOTILLA_GIT_SYNC_CONCURRENCY, allowFileUrls: e.FLOTILLA_GIT_ALLOW_FILE_URLS },
  };
}
