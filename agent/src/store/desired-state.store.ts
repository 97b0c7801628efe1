import { DesiredState } from '@flotilla/proto';
import { isNotFound } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';
import { serverSideApply } from '../kube/server-side-apply.js';

const NAME = 'flotilla-desired-state';

/**
 * The last DesiredState received from the hub, in ConfigMap
 * `flotilla-desired-state`: what a restarted agent enforces before (or
 * without) reaching the hub, and the generation it tells the hub it holds.
 */
export class DesiredStateStore {
  constructor(
    private readonly kube: KubeClient,
    private readonly namespace: string,
  ) {}

  async load(): Promise<DesiredState | undefined> {
    try {
      const cm = await this.kube.request<{ data?: Record<string, string> }>('GET', this.path());
      const json = cm.data?.['desired-state.json'];
      return json ? DesiredState.fromJSON(JSON.parse(json)) : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async save(state: DesiredState): Promise<void> {
    await serverSideApply(this.kube, this.path(), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: NAME, namespace: this.namespace },
      data: { 'desired-state.json': JSON.stringify(DesiredState.toJSON(state)) },
    });
  }

  private path(): string {
    return `/api/v1/namespaces/${this.namespace}/configmaps/${NAME}`;
  }
}
