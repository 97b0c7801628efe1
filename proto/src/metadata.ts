/** gRPC metadata key that carries the cluster credential on AgentService calls. */
export const CREDENTIAL_METADATA_KEY = 'authorization';

/** Formats a credential as the value of the `authorization` metadata entry. */
export function bearer(credential: string): string {
  return `Bearer ${credential}`;
}

/**
 * Trailing metadata key in which the hub sends the machine-readable reason
 * of a failed call (e.g. `TokenExpired`); `details` is the human text.
 */
export const REASON_METADATA_KEY = 'flotilla-reason';

/** Most revisions one GetBundleContents call may ask for (the hub refuses more; the agent's batches stay under it). */
export const MAX_CONTENTS_PER_CALL = 64;
