import { SetMetadata } from '@nestjs/common';

/** Metadata key of a route's request-body limit. */
export const BODY_LIMIT = 'flotilla:body-limit';

/**
 * Body limit of every route without its own: creates and patches of tokens,
 * groups and cluster labels are a few KiB; 256 KiB leaves room for a selector
 * or a label set in the thousands of entries.
 */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

/** Largest bundle body: 20 MiB bundles are supported, JSON escaping adds to that. */
export const BUNDLE_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * Gives a route its own request-body limit in bytes (default
 * `DEFAULT_BODY_LIMIT`). Bodies are read only after the route's guard let the
 * request through, and never beyond this limit.
 */
export const BodyLimit = (bytes: number) => SetMetadata(BODY_LIMIT, bytes);

/** "256 KiB", "64 MiB", "100 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Metadata key of routes that take their body as the raw bytes (a Buffer), e.g. to verify a signature over it. */
export const RAW_BODY = 'flotilla:raw-body';

/**
 * The route gets `request.body` as the Buffer sent, within the route's limit,
 * in one of `mediaTypes` (default application/json only): GitHub, for one,
 * delivers webhooks form-encoded when the hook is set up that way.
 */
export const RawBody = (...mediaTypes: string[]) => SetMetadata(RAW_BODY, mediaTypes.length > 0 ? mediaTypes : ['application/json']);
