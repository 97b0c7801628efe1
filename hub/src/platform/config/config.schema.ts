import { z } from 'zod';

/** The parts of the hub one process can run (FLOTILLA_ROLE). */
export const HUB_ROLES = ['api', 'gateway', 'render'] as const;
export type HubRole = (typeof HUB_ROLES)[number];

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().min(1);

/**
 * Environment variables the hub reads. Each has a default unless marked
 * required; `loadConfig` reports every bad variable by name at once.
 */
export const envSchema = z
  .object({
    /** PostgreSQL connection string. Required. */
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
    /** Redis connection string. Default `redis://127.0.0.1:6379`. */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
    /** Prefix of every Redis key and channel, so hubs can share a Redis. Default `flotilla`. */
    FLOTILLA_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only').default('flotilla'),
    /** REST API listen address. Default `0.0.0.0:8080`. */
    FLOTILLA_HTTP_HOST: z.string().default('0.0.0.0'),
    FLOTILLA_HTTP_PORT: port.default(8080),
    /** gRPC (agent API) listen address. Default `0.0.0.0:8443`. */
    FLOTILLA_GRPC_HOST: z.string().default('0.0.0.0'),
    FLOTILLA_GRPC_PORT: port.default(8443),
    /** PEM certificate and key files for the gRPC server. Required unless FLOTILLA_GRPC_INSECURE=true. */
    FLOTILLA_GRPC_TLS_CERT: z.string().optional(),
    FLOTILLA_GRPC_TLS_KEY: z.string().optional(),
    /** Serve gRPC in plaintext. For local use only. Default false. */
    FLOTILLA_GRPC_INSECURE: bool.default(false),
    /** Admin API token accepted in addition to stored tokens (at least 32 characters). */
    FLOTILLA_BOOTSTRAP_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * How often clusters with an open stream are recorded as seen (and the
     * interval given to agents that call Heartbeat without a stream). Default 30.
     */
    FLOTILLA_HEARTBEAT_INTERVAL_SECONDS: seconds.default(30),
    /** A cluster not heard from for this long becomes offline. Default 120. */
    FLOTILLA_OFFLINE_AFTER_SECONDS: seconds.default(120),
    /** How often open agent streams are re-checked against the database. Default 30. */
    FLOTILLA_STREAM_RECHECK_SECONDS: seconds.default(30),
    /**
     * How often each open stream's last sent desired-state generation is compared with PostgreSQL, so a lost
     * `desired-state-changed` event is repaired within this bound. Default 10.
     */
    FLOTILLA_DESIRED_STATE_RECHECK_SECONDS: seconds.default(10),
    /**
     * Least time (ms) between two desired states read for one stream: the first change after a quiet moment goes at
     * once, the changes that follow within this interval go together in one state. Default 2000; 0 sends each.
     */
    FLOTILLA_DESIRED_STATE_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
    /**
     * How often the fan-out repair sweep runs, and how old a bundle's or cluster's fan-out marker must be before the
     * sweep runs that fan-out itself (its BullMQ job was lost or not run, e.g. Redis was down): a committed change gets
     * its deployments within twice this. Default 30.
     */
    FLOTILLA_FANOUT_REPAIR_SECONDS: seconds.default(30),
    /** Attempts of one webhook delivery before it is marked Failed. Default 8. */
    FLOTILLA_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    /** First retry delay of a webhook delivery (ms); doubles each attempt. Default 1000. */
    FLOTILLA_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    /** Fleet events older than this are deleted. Default 168 (a week). */
    FLOTILLA_EVENT_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(168),
    /** Rollout history entries kept per bundle (rollback targets); the pinned one is always kept. Default 10. */
    FLOTILLA_ROLLOUT_HISTORY: z.coerce.number().int().min(1).max(1000).default(10),
    /**
     * How often non-final rollouts are planned again without a report (progress deadlines, delivery windows), and
     * how old a rollout request must be before the scheduler runs it itself (its job was lost). Default 5.
     */
    FLOTILLA_ROLLOUT_RECHECK_SECONDS: seconds.default(5),
    /** Memory for revision content shared by the streams of all clusters (bytes). Default 268435456 (256 MiB). */
    FLOTILLA_CONTENT_CACHE_BYTES: z.coerce.number().int().min(0).default(256 * 1024 * 1024),
    /** GetBundleContent streams one cluster may have open at once on a replica (the agent fetches one at a time). Default 4. */
    FLOTILLA_CONTENT_STREAMS_PER_CLUSTER: z.coerce.number().int().min(1).max(1000).default(4),
    /** Bytes a content stream may have written but not yet sent to its agent. Default 2097152 (2 MiB, two chunks). */
    FLOTILLA_CONTENT_STREAM_BUFFER_BYTES: z.coerce.number().int().min(64 * 1024).default(2 * 1024 * 1024),
    /** Watch streams one cluster may hold open on a replica; a newer one closes the oldest. Default 2. */
    FLOTILLA_WATCH_STREAMS_PER_CLUSTER: z.coerce.number().int().min(1).max(100).default(2),
    /** A stream whose agent reads nothing for this long is dropped (RESOURCE_EXHAUSTED). Default 60. */
    FLOTILLA_STREAM_STALL_SECONDS: seconds.default(60),
    /**
     * A bundle revision that no bundle and no deployment has referenced for
     * this long is deleted by the revision GC sweep. Default 3600 (1 hour).
     */
    FLOTILLA_REVISION_GC_GRACE_SECONDS: seconds.default(3600),
    /** How often the revision GC sweep runs. Default 300 (5 minutes). */
    FLOTILLA_REVISION_GC_INTERVAL_SECONDS: seconds.default(300),
    /** Worker threads that parse bundle manifests off the event loop. Default 1. */
    FLOTILLA_MANIFEST_PARSER_THREADS: z.coerce.number().int().min(1).max(64).default(1),
    /** Parses that may wait for a parser thread; one more is refused with 503 ParserBusy. Default 4. */
    FLOTILLA_MANIFEST_PARSER_QUEUE: z.coerce.number().int().min(0).default(4),
    /**
     * A parse (waiting included) that takes longer is stopped and refused with 503 ParserBusy. Default 120
     * (a 64 MiB body, the most there can be, parses in ~45 s on a busy 2-core machine).
     */
    FLOTILLA_MANIFEST_PARSE_TIMEOUT_SECONDS: seconds.default(120),
    /**
     * Manifests shorter than this (characters) are parsed on the event loop, where they block it for a few
     * milliseconds at most and cannot be refused as ParserBusy behind big ones. Default 8192.
     */
    FLOTILLA_MANIFEST_PARSE_INLINE_BELOW: z.coerce.number().int().min(0).default(8 * 1024),
    /** Apply pending database migrations at start-up. Default true. */
    FLOTILLA_MIGRATE_ON_START: bool.default(true),
    /** `json` (default) or `text` logs. */
    FLOTILLA_LOG_FORMAT: z.enum(['json', 'text']).default('json'),
    /**
     * What this process does, comma-separated: `api` (REST API, fan-out, housekeeping), `gateway` (the agents'
     * gRPC streams), `render` (render jobs: helm, kustomize, fleet.yaml). Default all three, for small installs.
     */
    FLOTILLA_ROLE: z
      .string()
      .default('api,gateway,render')
      .transform((value, ctx) => {
        const roles = value.split(',').map((r) => r.trim()).filter(Boolean);
        const bad = roles.filter((r) => !(HUB_ROLES as readonly string[]).includes(r));
        if (bad.length || roles.length === 0) {
          ctx.addIssue({ code: 'custom', message: `must list roles among ${HUB_ROLES.join(', ')} (got "${value}")` });
          return z.NEVER;
        }
        return roles as HubRole[];
      }),
    /** helm binary for render jobs. Default: `helm` on PATH. */
    FLOTILLA_HELM: z.string().optional(),
    /** kustomize binary for render jobs. Default: `kustomize` on PATH. */
    FLOTILLA_KUSTOMIZE: z.string().optional(),
    /** Where fetched Helm charts are cached (by digest). Default `.flotilla/charts` under the working directory. */
    FLOTILLA_CHART_CACHE_DIR: z.string().default('.flotilla/charts'),
    /** Time limit of one helm/kustomize run in a render job. Default 60 s. */
    FLOTILLA_RENDER_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** Render jobs run at once by one render process. Default 2. */
    FLOTILLA_RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    /**
     * Keys that seal secrets at rest (GitRepo credentials, webhook secrets): comma-separated `id:base64` entries of
     * 32 random bytes each (`openssl rand -base64 32`). The first seals; every entry opens. To rotate, put a new key
     * first and restart: an `api` process re-seals everything sealed with another key at start-up (it logs how
     * many), after which the old key can be dropped. Without keys, GitRepos without secrets still work and ones
     * with credentials or a webhook secret are refused.
     */
    FLOTILLA_SECRET_KEYS: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return [];
        const keys: { id: string; key: Buffer }[] = [];
        for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
          const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=]+)$/.exec(entry);
          const key = match ? Buffer.from(match[2]!, 'base64') : undefined;
          if (!match || key?.length !== 32 || keys.some((k) => k.id === match[1])) {
            ctx.addIssue({ code: 'custom', message: `entry ${keys.length + 1} must be a unique "id:base64" with a 32-byte key` });
            return z.NEVER;
          }
          keys.push({ id: match[1]!, key });
        }
        return keys;
      }),
    /** Where fetched Git repositories are cached (a disposable accelerator). Default `.flotilla/git` under the working directory. */
    FLOTILLA_GIT_CACHE_DIR: z.string().default('.flotilla/git'),
    /** Time limit of one git command (ls-remote, fetch). Default 120 s. */
    FLOTILLA_GIT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
    /** Accept `file://` GitRepo URLs (they read the hub's own disk: for local use and tests). Default false. */
    FLOTILLA_GIT_ALLOW_FILE_URLS: bool.default(false),
    /** GitRepo syncs one render process runs at once. Default 4. */
    FLOTILLA_GIT_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  })
  .superRefine((env, ctx) => {
    if (!env.FLOTILLA_GRPC_INSECURE && (!env.FLOTILLA_GRPC_TLS_CERT || !env.FLOTILLA_GRPC_TLS_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['FLOTILLA_GRPC_TLS_CERT'],
        message: 'FLOTILLA_GRPC_TLS_CERT and FLOTILLA_GRPC_TLS_KEY are required unless FLOTILLA_GRPC_INSECURE=true',
      });
    }
    if (env.FLOTILLA_OFFLINE_AFTER_SECONDS <= env.FLOTILLA_HEARTBEAT_INTERVAL_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['FLOTILLA_OFFLINE_AFTER_SECONDS'],
        message: 'must be greater than FLOTILLA_HEARTBEAT_INTERVAL_SECONDS',
      });
    }
  });

export type HubEnv = z.output<typeof envSchema>;
