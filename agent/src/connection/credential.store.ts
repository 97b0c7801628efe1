import { isNotFound } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';

export const CREDENTIAL_SECRET = 'flotilla-agent-credential';

/** The cluster's identity at the hub, as issued by Register. */
export interface StoredCredential {
  clusterId: string;
  clusterName: string;
  credential: string;
}

/** The cluster credential in Secret `flotilla-agent-credential` of the agent namespace. */
export class CredentialStore {
  constructor(
    private readonly kube: KubeClient,
    private readonly namespace: string,
  ) {}

  async load(): Promise<StoredCredential | undefined> {
    try {
      const secret = await this.kube.request<{ data?: Record<string, string> }>('GET', this.path());
      const field = (k: string) => Buffer.from(secret.data?.[k] ?? '', 'base64').toString('utf8');
      const credential = field('credential');
      return credential ? { credential, clusterId: field('clusterId'), clusterName: field('clusterName') } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Proves the Secret can be created, with a dry-run create (nothing is
   * stored): the agent calls this before Register, because a credential it
   * cannot store is lost when the process restarts, together with the token
   * use it consumed. Throws the API server's answer (e.g. the namespace does
   * not exist, or RBAC forbids it).
   */
  async checkWritable(): Promise<void> {
    const body = this.secret({ credential: 'dry-run', clusterId: 'dry-run', clusterName: 'dry-run' });
    await this.kube.request('POST', `/api/v1/namespaces/${this.namespace}/secrets`, { body, query: { dryRun: 'All' } });
  }

  async save(value: StoredCredential): Promise<void> {
    const body = this.secret(value);
    await this.kube.request('PUT', this.path(), { body }).catch(async (error: unknown) => {
      if (!isNotFound(error)) throw error;
      await this.kube.request('POST', `/api/v1/namespaces/${this.namespace}/secrets`, { body });
    });
  }

  private secret(value: StoredCredential) {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: CREDENTIAL_SECRET, namespace: this.namespace, labels: { 'app.kubernetes.io/managed-by': 'flotilla-agent' } },
      stringData: { credential: value.credential, clusterId: value.clusterId, clusterName: value.clusterName },
    };
  }

  private path(): string {
    return `/api/v1/namespaces/${this.namespace}/secrets/${CREDENTIAL_SECRET}`;
  }
}
