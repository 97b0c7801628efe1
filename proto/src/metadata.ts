/** gRPC metadata key that carries the cluster credential on AgentService calls. */
export const CREDENTIAL_METADATA_KEY = 'authorization';

/** Formats a credential as the value of the `authorization` metadata entry. */
export function bearer(credential: string): string {
  return `Bearer ${credential}`;
}
