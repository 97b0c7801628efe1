import { isDnsLabel } from '@flotilla/core';
import { LOG_LEVELS, type LogLevel } from '../log/logger.js';
import { ConfigError } from './config-error.js';
import { parseHubAddress, parseLabels, parseNamespaces, parsePort, parsePositiveSeconds } from './parsers.js';

/** How the agent reaches the hub's gRPC endpoint. */
export type HubTls =
  /** TLS verified against this CA bundle (FLOTILLA_HUB_CA_FILE). */
  | { mode: 'ca'; caPem: string; caFile: string }
  /** TLS verified against the system's public roots (neither variable set). */
  | { mode: 'system' }
  /** Plain text (FLOTILLA_HUB_INSECURE=true); for development only. */
  | { mode: 'insecure' };

/** Where the one-time registration token comes from; read only when the agent has no credential yet. */
export type TokenSource = { kind: 'value'; value: string } | { kind: 'file'; path: string } | { kind: 'none' };

/** Everything the agent is configured with, validated. Built once by {@link loadConfig}. */
export interface AgentConfig {
  /** FLOTILLA_HUB_ADDRESS: `host:port` of the hub's gRPC endpoint. Required. */
  hubAddress: string;
  hubTls: HubTls;
  /** FLOTILLA_REGISTRATION_TOKEN or FLOTILLA_REGISTRATION_TOKEN_FILE. Used once, on first start. */
  registrationToken: TokenSource;
  /** FLOTILLA_CLUSTER_NAME: name the cluster asks for; the hub derives one when empty. */
  clusterName: string;
  /** FLOTILLA_CLUSTER_LABELS (`k=v,k2=v2`): labels sent at registration. Default none. */
  clusterLabels: Record<string, string>;
  /** FLOTILLA_AGENT_NAMESPACE: where the credential, inventories and content live. Default `flotilla-system`. */
  agentNamespace: string;
  /**
   * FLOTILLA_NAMESPACES: when set, the agent only manages objects in these
   * namespaces and refuses cluster-scoped objects (namespaced mode). Default: all.
   */
  namespaces: string[] | undefined;
  /** KUBECONFIG: kubeconfig file to use; default: the in-cluster service account. */
  kubeconfigPath: string | undefined;
  /** FLOTILLA_LOG_LEVEL: debug | info | warn | error. Default `info`. */
  logLevel: LogLevel;
  /** FLOTILLA_PROBE_PORT: port of the /healthz and /readyz probes (plain HTTP). Default: none served. */
  probePort: number | undefined;
  /** FLOTILLA_RESYNC_SECONDS: full health/drift re-check of every deployment. Default 300. */
  resyncSeconds: number;
  /** FLOTILLA_REPORT_INTERVAL_SECONDS: statuses are re-sent this often even unchanged. Default 60. */
  reportIntervalSeconds: number;
  /** FLOTILLA_RECONNECT_MAX_SECONDS: cap of the reconnect backoff. Default 60. */
  reconnectMaxSeconds: number;
  /** FLOTILLA_REJECTED_RETRY_SECONDS: retry interval once the hub rejected the credential. Default 300. */
  rejectedRetrySeconds: number;
  /** FLOTILLA_HOOK_TIMEOUT_SECONDS: how long one hook (Helm/Argo CD) may take to complete, and how long a sync wave or the PostSync hooks wait for objects to be healthy, before it fails the deployment. Default 300. */
  hookTimeoutSeconds: number;
}

export { ConfigError };

export type Env = Record<string, string | undefined>;

export interface ConfigIo {
  readFile(path: string): string;
}

/**
 * Validates the environment. Throws a {@link ConfigError} naming the first
 * offending variable. Files (CA) are read here so a wrong path fails at start,
 * except the token file, which is only needed on first registration (it is
 * often an optional Secret that is gone afterwards).
 */
export function loadConfig(env: Env, io: ConfigIo): AgentConfig {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const address = get('FLOTILLA_HUB_ADDRESS');
  if (!address) throw new ConfigError('FLOTILLA_HUB_ADDRESS', 'is required (host:port of the hub gRPC endpoint, e.g. hub.example.com:8443)');
  const hubAddress = parseHubAddress('FLOTILLA_HUB_ADDRESS', address);

  const insecure = parseBoolean('FLOTILLA_HUB_INSECURE', get('FLOTILLA_HUB_INSECURE'));
  const caFile = get('FLOTILLA_HUB_CA_FILE');
  if (insecure && caFile) throw new ConfigError('FLOTILLA_HUB_INSECURE', 'cannot be true together with FLOTILLA_HUB_CA_FILE; choose one');
  let hubTls: HubTls = insecure ? { mode: 'insecure' } : { mode: 'system' };
  if (caFile) {
    let caPem: string;
    try {
      caPem = io.readFile(caFile);
    } catch (error) {
      throw new ConfigError('FLOTILLA_HUB_CA_FILE', `cannot read ${caFile}: ${(error as Error).message}`);
    }
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError('FLOTILLA_HUB_CA_FILE', `${caFile} contains no PEM certificate`);
    hubTls = { mode: 'ca', caPem, caFile };
  }

  const token = get('FLOTILLA_REGISTRATION_TOKEN');
  const tokenFile = get('FLOTILLA_REGISTRATION_TOKEN_FILE');
  if (token && tokenFile) throw new ConfigError('FLOTILLA_REGISTRATION_TOKEN', 'set either it or FLOTILLA_REGISTRATION_TOKEN_FILE, not both');
  const registrationToken: TokenSource = token ? { kind: 'value', value: token } : tokenFile ? { kind: 'file', path: tokenFile } : { kind: 'none' };

  const logLevel = (get('FLOTILLA_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('FLOTILLA_LOG_LEVEL', `"${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }

  const agentNamespace = get('FLOTILLA_AGENT_NAMESPACE') ?? 'flotilla-system';
  parseNamespaces('FLOTILLA_AGENT_NAMESPACE', agentNamespace);
  const clusterName = get('FLOTILLA_CLUSTER_NAME') ?? '';
  if (clusterName && !isDnsLabel(clusterName)) {
    throw new ConfigError('FLOTILLA_CLUSTER_NAME', `"${clusterName}" is not a DNS label (lower-case letters, digits and '-', at most 63)`);
  }
  const namespacesValue = get('FLOTILLA_NAMESPACES');

  return {
    hubAddress,
    hubTls,
    registrationToken,
    clusterName,
    clusterLabels: parseLabels('FLOTILLA_CLUSTER_LABELS', get('FLOTILLA_CLUSTER_LABELS') ?? ''),
    agentNamespace,
    namespaces: namespacesValue === undefined ? undefined : parseNamespaces('FLOTILLA_NAMESPACES', namespacesValue),
    kubeconfigPath: get('KUBECONFIG'),
    logLevel: logLevel as LogLevel,
    probePort: parsePort('FLOTILLA_PROBE_PORT', get('FLOTILLA_PROBE_PORT')),
    resyncSeconds: parsePositiveSeconds('FLOTILLA_RESYNC_SECONDS', get('FLOTILLA_RESYNC_SECONDS'), 300),
    reportIntervalSeconds: parsePositiveSeconds('FLOTILLA_REPORT_INTERVAL_SECONDS', get('FLOTILLA_REPORT_INTERVAL_SECONDS'), 60),
    reconnectMaxSeconds: parsePositiveSeconds('FLOTILLA_RECONNECT_MAX_SECONDS', get('FLOTILLA_RECONNECT_MAX_SECONDS'), 60),
    rejectedRetrySeconds: parsePositiveSeconds('FLOTILLA_REJECTED_RETRY_SECONDS', get('FLOTILLA_REJECTED_RETRY_SECONDS'), 300),
    hookTimeoutSeconds: parsePositiveSeconds('FLOTILLA_HOOK_TIMEOUT_SECONDS', get('FLOTILLA_HOOK_TIMEOUT_SECONDS'), 300),
  };
}

function parseBoolean(variable: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new ConfigError(variable, `"${value}" is not a boolean (true or false)`);
}
