import { isNotFound } from '../../kube/kube-api-error.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { BUNDLE_LABEL } from '../../kube/object-ref.js';
import { serverSideApply } from '../../kube/server-side-apply.js';
import { decodeDeleteHooks, encodeDeleteHooks, type KeptDeleteHooks } from './delete-hooks.js';

const KEY = 'hooks.json';

interface Secret {
  data?: Record<string, string>;
}

/**
 * A bundle's kept delete hooks as the Secret `flotilla-delete-hooks-<bundle>`
 * in the agent namespace (a Secret, not a ConfigMap: a hook may itself be a
 * Secret, or carry credentials in its spec).
 */
export class DeleteHookStore {
  constructor(
    private readonly kube: KubeClient,
    private readonly namespace: string,
  ) {}

  /** The kept hooks, or undefined when none are kept; throws on a Secret whose content is malformed. */
  async load(bundleName: string): Promise<KeptDeleteHooks | undefined> {
    let secret: Secret;
    try {
      secret = await this.kube.request<Secret>('GET', this.path(bundleName));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const where = `the delete hooks kept for bundle ${bundleName} (Secret ${this.namespace}/${deleteHooksName(bundleName)}; delete it to remove the bundle without them)`;
    return decodeDeleteHooks(Buffer.from(secret.data?.[KEY] ?? '', 'base64').toString('utf8'), where);
  }

  async save(bundleName: string, kept: KeptDeleteHooks): Promise<void> {
    await serverSideApply(this.kube, this.path(bundleName), {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: deleteHooksName(bundleName), namespace: this.namespace, labels: { [BUNDLE_LABEL]: bundleName } },
      data: { [KEY]: Buffer.from(encodeDeleteHooks(kept)).toString('base64') },
    });
  }

  async delete(bundleName: string): Promise<void> {
    try {
      await this.kube.request('DELETE', this.path(bundleName));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private path(bundleName: string): string {
    return `/api/v1/namespaces/${this.namespace}/secrets/${deleteHooksName(bundleName)}`;
  }
}

function deleteHooksName(bundleName: string): string {
  return `flotilla-delete-hooks-${bundleName}`;
}
