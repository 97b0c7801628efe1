import type { CliIo } from '../command.types.js';
import { HubClient } from './hub.client.js';
import { resolveHubTarget, type HubFlags } from './hub-target.js';

/** A client for the hub the flags, the environment or the config file name (see {@link resolveHubTarget}). */
export async function connectHub(flags: HubFlags, io: CliIo): Promise<HubClient> {
  return new HubClient(await resolveHubTarget(flags, io));
}
