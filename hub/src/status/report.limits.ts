/**
 * Bounds of one ReportStatus call (issue #9), the one place they are set.
 * Lengths are in characters (UTF-16 code units, as JavaScript counts them).
 * The gRPC server also caps a message at 16 MiB (`grpc-server.options.ts`),
 * which bounds a report as a whole; these bound its parts, so that one agent
 * cannot make the hub store or hold more than a real agent ever sends.
 *
 * Structure (counts, ids, codes, object identity, paths) over its bound is
 * refused (`gateway/report.validation.ts`): it means a broken or hostile
 * agent. Text meant for people (messages, diff values) is truncated on ingest
 * with a marker (`status/report-text.ts`): a huge ConfigMap value that
 * drifted must not stop a deployment's status from being reported.
 */
export const REPORT_LIMITS = {
  /** Deployments per call. The agent sends batches of 100; ten times that leaves room for other agents. */
  deployments: 1000,
  /** A deployment id is a UUID (36); 64 leaves room without letting ids carry payloads. */
  deploymentId: 64,
  /** `reason` is a machine-readable code such as `ApplyFailed` (under 30 characters); 1 KiB is generous. */
  reason: 1024,
  /** Deployment message; the agent clips its messages to 4,000 characters. Truncated beyond. */
  message: 4096,
  /** Objects per deployment: larger bundles than this are not a use case (Fleet warns far below). */
  resourcesPerDeployment: 5000,
  /**
   * apiVersion, kind, namespace and name of a resource: an API group is a DNS
   * subdomain (253) plus `/` and a version, names are at most 253.
   */
  objectField: 320,
  /** Resource message; the agent clips to 4,000 characters. Truncated beyond. */
  resourceMessage: 4096,
  /** Diffs per resource; the agent sends at most 50 (`agent/src/report/deployment-status.ts`). */
  diffsPerResource: 100,
  /** JSON pointer of a diff: keys are at most 253 characters, so 4 KiB is a deep path of long keys. */
  diffPath: 4096,
  /** JSON text of one diff value (desired or live); truncated beyond, still valid JSON. */
  diffValue: 4096,
  /** Agent version (Watch, Heartbeat); the same bound as Register's (`registration.service.ts`). */
  agentVersion: 64,
} as const;
