import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { revisionHex, verifyRevision } from '../connection/bundle-content.js';
import { isNotFound } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';
import { joinParts, splitParts } from './parts.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const CONTENT_LABEL = 'flotilla.dev/content';
const REVISION_ANNOTATION = 'flotilla.dev/revision';
const PARTS_ANNOTATION = 'flotilla.dev/parts';
/** Below the API server's ~1.5 MiB object limit with room for metadata and base64 in requests. */
const DEFAULT_PART_BYTES = 900 * 1024;
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

interface SecretMeta {
  metadata: { name: string; annotations?: Record<string, string> };
}

/**
 * Revision content kept in the cluster, so that the agent can enforce its
 * last desired state while the hub is unreachable, across restarts too.
 * Content is gzip-compressed and split over Secrets (bundles carry Secrets)
 * of at most 900 KiB named `flotilla-content-<digest prefix>-<part>`; it is
 * verified against its digest when read back.
 */
export class ContentStore {
  constructor(
    private readonly kube: KubeClient,
    private readonly namespace: string,
    private readonly partBytes = DEFAULT_PART_BYTES,
  ) {}

  /** The content of `revision`, or undefined when it is not stored (or stored incompletely). */
  async get(revision: string): Promise<Buffer | undefined> {
    const first = await this.readPart(revision, 0);
    if (!first) return undefined;
    const count = Number(first.metadata.annotations?.[PARTS_ANNOTATION] ?? '1');
    const parts: [number, Buffer][] = [[0, first.data]];
    for (let i = 1; i < count; i++) {
      const part = await this.readPart(revision, i);
      if (!part) return undefined;
      parts.push([i, part.data]);
    }
    try {
      const content = await gunzipAsync(joinParts(parts, count));
      verifyRevision(revision, content);
      return content;
    } catch {
      return undefined; // damaged: fetched again from the hub
    }
  }

  async put(revision: string, content: Buffer): Promise<void> {
    const parts = splitParts(await gzipAsync(content), this.partBytes);
    // Part 0 last: a reader that finds it finds the others too.
    for (let i = parts.length - 1; i >= 0; i--) {
      const name = partName(revision, i);
      const body = {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: {
          name,
          namespace: this.namespace,
          labels: { [CONTENT_LABEL]: 'true' },
          annotations: { [REVISION_ANNOTATION]: revision, [PARTS_ANNOTATION]: String(parts.length), 'flotilla.dev/part': String(i) },
        },
        data: { content: parts[i]!.toString('base64') },
      };
      await this.kube.request('PUT', `${this.secrets()}/${name}`, { body }).catch(async (error: unknown) => {
        if (!isNotFound(error)) throw error;
        await this.kube.request('POST', this.secrets(), { body });
      });
    }
  }

  /** Deletes the stored content of every revision not in `keep`. */
  async retain(keep: Set<string>): Promise<void> {
    const list = await this.kube.request<{ items: SecretMeta[] }>('GET', this.secrets(), {
      query: { labelSelector: `${CONTENT_LABEL}=true` },
      accept: METADATA_LIST,
    });
    for (const item of list.items ?? []) {
      const revision = item.metadata.annotations?.[REVISION_ANNOTATION];
      if (revision && keep.has(revision)) continue;
      await this.kube.request('DELETE', `${this.secrets()}/${item.metadata.name}`).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
  }

  private async readPart(revision: string, index: number): Promise<{ metadata: SecretMeta['metadata']; data: Buffer } | undefined> {
    try {
      const secret = await this.kube.request<SecretMeta & { data?: { content?: string } }>('GET', `${this.secrets()}/${partName(revision, index)}`);
      if (secret.metadata.annotations?.[REVISION_ANNOTATION] !== revision) return undefined;
      return { metadata: secret.metadata, data: Buffer.from(secret.data?.content ?? '', 'base64') };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private secrets(): string {
    return `/api/v1/namespaces/${this.namespace}/secrets`;
  }
}

function partName(revision: string, index: number): string {
  return `flotilla-content-${revisionHex(revision).slice(0, 24)}-${index}`;
}
