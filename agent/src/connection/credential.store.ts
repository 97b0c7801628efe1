import { randomBytes } from 'node:crypto';
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
    const fields = await this.read();
    return fields?.credential ? { credential: fields.credential, clusterId: fields.clusterId ?? '', clusterName: fields.clusterName ?? '' } : undefined;
  }

  /** The Secret's fields, decoded; undefined when there is no Secret. */
  private async read(): Promise<Record<string, string> | undefined> {
    try {
      const secret = await this.kube.request<{ data?: Record<string, string> }>('GET', this.path());
      return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * The registration nonce: a random secret kept in the Secret from before the
   * first Register until the credential replaces it, so that a retry of a
   * Register whose answer never arrived (a timeout, a restart) proves to the
   * hub it is the same agent. Creates the Secret with a new nonce when there
   * is none, which also proves the Secret can be stored: the agent registers
   * only then, because a credential it cannot store is lost on restart,
   * together with the token use it consumed. Throws the API server's answer
   * (e.g. the namespace does not exist, or RBAC forbids it).
   */
  async registrationNonce(): Promise<string> {
    const existing = await this.read();
    const kept = existing?.registrationNonce;
    if (kept) return kept;
    const nonce = randomBytes(32).toString('base64url');
    const body = this.body({ registrationNonce: nonce });
    if (existing) await this.kube.request('PUT', this.path(), { body });
    else await this.kube.request('POST', `/api/v1/namespaces/${this.namespace}/secrets`, { body });
    return nonce;
  }

  async save(value: StoredCredential): Promise<void> {
    const body = this.secret(value);
    await this.kube.request('PUT', this.path(), { body }).catch(async (error: unknown) => {
      if (!isNotFound(error)) throw error;
      await this.kube.request('POST', `/api/v1/namespaces/${this.namespace}/secrets`, { body });
    });
  }

  private secret(value: StoredCredential) {
    return this.body({ credential: value.credential, clusterId: value.clusterId, clusterName: value.clusterName });
  }

  private body(stringData: Record<string, string>) {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: CREDENTIAL_SECRET, namespace: this.namespace, labels: { 'app.kubernetes.io/managed-by': 'flotilla-agent' } },
      stringData,
    };
  }

  private path(): string {
    return `/api/v1/namespaces/${this.namespace}/secrets/${CREDENTIAL_SECRET}`;
  }
}
