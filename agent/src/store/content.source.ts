import { describeHubFailure } from '../connection/hub-failure.js';
import { AgentError } from '../errors.js';
import type { ContentStore } from './content.store.js';

/** Fetches a revision's verified content from the hub. */
export type HubContentFetcher = (revision: string) => Promise<Buffer>;

/**
 * Revision content: from the cluster when stored there (so nothing needs the
 * hub after a restart), else from the hub, then stored.
 */
export class ContentSource {
  constructor(
    private readonly store: ContentStore,
    private readonly fetchFromHub: HubContentFetcher,
  ) {}

  async get(revision: string): Promise<Buffer> {
    const stored = await this.store.get(revision);
    if (stored) return stored;
    let content: Buffer;
    try {
      content = await this.fetchFromHub(revision);
    } catch (error) {
      if (error instanceof AgentError) throw error; // ContentInvalid: digest or size wrong
      throw new AgentError('ContentFetchFailed', `cannot fetch revision ${revision} from the hub: ${describeHubFailure(error)}`, {
        cause: error,
        retryable: true,
      });
    }
    await this.store.put(revision, content);
    return content;
  }
}
