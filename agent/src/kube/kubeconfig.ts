import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** What the agent needs to talk to its API server. */
export interface KubeConnection {
  server: string;
  ca?: string;
  cert?: string;
  key?: string;
  insecureSkipTlsVerify?: boolean;
  /** Returns the bearer token for the next request (re-read, since service-account tokens rotate). */
  token?: () => string;
  basicAuth?: string;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The in-cluster service account. The token file is re-read at most once a
 * minute: projected tokens are rotated by the kubelet.
 */
export function inClusterConnection(env: NodeJS.ProcessEnv = process.env, root = SERVICE_ACCOUNT): KubeConnection {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) {
    throw new Error('not running in a cluster (KUBERNETES_SERVICE_HOST is not set); set KUBECONFIG to a kubeconfig file');
  }
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: readFileSync(`${root}/ca.crt`, 'utf8'),
    token: cachedFile(`${root}/token`, 60_000),
  };
}

/**
 * A kubeconfig file's current context. Supports what the agent's users run
 * it with outside a cluster (development, tests): certificates and keys
 * inline or as files, bearer tokens (inline or file), basic auth. Exec and
 * auth-provider plugins are not supported: the agent runs in-cluster.
 */
export async function kubeconfigConnection(path: string): Promise<KubeConnection> {
  // yaml is only loaded on this path; in-cluster agents never pay for it.
  const { parse } = await import('yaml');
  const doc = parse(readFileSync(path, 'utf8')) as KubeconfigDoc;
  const contextName = doc['current-context'];
  const context = doc.contexts?.find((c) => c.name === contextName)?.context;
  if (!context) throw new Error(`kubeconfig ${path}: current-context "${contextName ?? ''}" not found`);
  const cluster = doc.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`kubeconfig ${path}: cluster "${context.cluster}" has no server`);
  const user = doc.users?.find((u) => u.name === context.user)?.user ?? {};
  if (user.exec || user['auth-provider']) throw new Error(`kubeconfig ${path}: exec and auth-provider users are not supported`);
  const base = dirname(path);
  const file = (f: string) => readFileSync(isAbsolute(f) ? f : resolve(base, f), 'utf8');
  const data = (inline: string | undefined, fileName: string | undefined) =>
    inline ? Buffer.from(inline, 'base64').toString('utf8') : fileName ? file(fileName) : undefined;
  const connection: KubeConnection = { server: cluster.server };
  const ca = data(cluster['certificate-authority-data'], cluster['certificate-authority']);
  const cert = data(user['client-certificate-data'], user['client-certificate']);
  const key = data(user['client-key-data'], user['client-key']);
  if (ca) connection.ca = ca;
  if (cert) connection.cert = cert;
  if (key) connection.key = key;
  if (cluster['insecure-skip-tls-verify']) connection.insecureSkipTlsVerify = true;
  if (user.token) {
    const token = user.token;
    connection.token = () => token;
  } else if (user.tokenFile) {
    connection.token = cachedFile(isAbsolute(user.tokenFile) ? user.tokenFile : resolve(base, user.tokenFile), 60_000);
  }
  if (user.username) connection.basicAuth = `${user.username}:${user.password ?? ''}`;
  return connection;
}

function cachedFile(path: string, ttlMs: number): () => string {
  let value = '';
  let readAt = 0;
  return () => {
    if (Date.now() - readAt > ttlMs) {
      value = readFileSync(path, 'utf8').trim();
      readAt = Date.now();
    }
    return value;
  };
}

interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: {
    name: string;
    cluster: {
      server?: string;
      'certificate-authority'?: string;
      'certificate-authority-data'?: string;
      'insecure-skip-tls-verify'?: boolean;
    };
  }[];
  users?: {
    name: string;
    user: {
      'client-certificate'?: string;
      'client-certificate-data'?: string;
      'client-key'?: string;
      'client-key-data'?: string;
      token?: string;
      tokenFile?: string;
      username?: string;
      password?: string;
      exec?: unknown;
      'auth-provider'?: unknown;
    };
  }[];
}
