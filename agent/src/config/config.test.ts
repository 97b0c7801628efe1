import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type Env } from './config.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = { '/ca.pem': CA, '/junk.txt': 'hello' };
const io = {
  readFile: (path: string) => {
    const content = files[path];
    if (content === undefined) throw new Error(`ENOENT: no such file '${path}'`);
    return content;
  },
};
const base: Env = { FLOTILLA_HUB_ADDRESS: 'hub.example.com:8443', FLOTILLA_HUB_CA_FILE: '/ca.pem', FLOTILLA_REGISTRATION_TOKEN: 'flt_reg_x' };

function failure(env: Env): ConfigError {
  try {
    loadConfig(env, io);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig(base, io);
    expect(config).toMatchObject({
      hubAddress: 'hub.example.com:8443',
      hubTls: { mode: 'ca', caPem: CA },
      registrationToken: { kind: 'value', value: 'flt_reg_x' },
      agentNamespace: 'flotilla-system',
      namespaces: undefined,
      clusterLabels: {},
      logLevel: 'info',
      resyncSeconds: 300,
      reconnectMaxSeconds: 60,
      probePort: undefined,
      hookTimeoutSeconds: 300,
    });
    expect(loadConfig({ ...base, FLOTILLA_PROBE_PORT: '8080' }, io).probePort).toBe(8080);
    expect(loadConfig({ ...base, FLOTILLA_HOOK_TIMEOUT_SECONDS: '30' }, io).hookTimeoutSeconds).toBe(30);
    expect(() => loadConfig({ ...base, FLOTILLA_HOOK_TIMEOUT_SECONDS: '0' }, io)).toThrow(/FLOTILLA_HOOK_TIMEOUT_SECONDS/);
  });

  it('parses labels, namespaces, token file and insecure mode', () => {
    const config = loadConfig(
      {
        FLOTILLA_HUB_ADDRESS: '[::1]:9000',
        FLOTILLA_HUB_INSECURE: 'true',
        FLOTILLA_REGISTRATION_TOKEN_FILE: '/var/run/token',
        FLOTILLA_CLUSTER_LABELS: 'env=prod, example.com/team=a-b ,empty=',
        FLOTILLA_NAMESPACES: 'team-a,team-b,team-a',
        FLOTILLA_LOG_LEVEL: 'DEBUG',
      },
      io,
    );
    expect(config.hubTls).toEqual({ mode: 'insecure' });
    expect(config.registrationToken).toEqual({ kind: 'file', path: '/var/run/token' });
    expect(config.clusterLabels).toEqual({ env: 'prod', 'example.com/team': 'a-b', empty: '' });
    expect(config.namespaces).toEqual(['team-a', 'team-b']);
    expect(config.logLevel).toBe('debug');
  });

  it.each([
    [{ FLOTILLA_HUB_ADDRESS: undefined }, 'FLOTILLA_HUB_ADDRESS', /is required/],
    [{ FLOTILLA_HUB_ADDRESS: 'https://hub:8443' }, 'FLOTILLA_HUB_ADDRESS', /not host:port/],
    [{ FLOTILLA_HUB_ADDRESS: 'hub:99999' }, 'FLOTILLA_HUB_ADDRESS', /not host:port/],
    [{ FLOTILLA_HUB_CA_FILE: '/missing.pem' }, 'FLOTILLA_HUB_CA_FILE', /cannot read \/missing.pem/],
    [{ FLOTILLA_HUB_CA_FILE: '/junk.txt' }, 'FLOTILLA_HUB_CA_FILE', /no PEM certificate/],
    [{ FLOTILLA_HUB_INSECURE: 'true' }, 'FLOTILLA_HUB_INSECURE', /together with FLOTILLA_HUB_CA_FILE/],
    [{ FLOTILLA_HUB_CA_FILE: undefined, FLOTILLA_HUB_INSECURE: 'maybe' }, 'FLOTILLA_HUB_INSECURE', /not a boolean/],
    [{ FLOTILLA_REGISTRATION_TOKEN_FILE: '/t' }, 'FLOTILLA_REGISTRATION_TOKEN', /not both/],
    [{ FLOTILLA_CLUSTER_LABELS: 'env' }, 'FLOTILLA_CLUSTER_LABELS', /"env" is not key=value/],
    [{ FLOTILLA_CLUSTER_LABELS: 'bad key=x' }, 'FLOTILLA_CLUSTER_LABELS', /not a valid label key/],
    [{ FLOTILLA_CLUSTER_LABELS: 'env=no spaces' }, 'FLOTILLA_CLUSTER_LABELS', /not a valid label value/],
    [{ FLOTILLA_NAMESPACES: 'Team_A' }, 'FLOTILLA_NAMESPACES', /not a valid namespace name/],
    [{ FLOTILLA_NAMESPACES: ' , ' }, 'FLOTILLA_NAMESPACES', /names no namespace/],
    [{ FLOTILLA_AGENT_NAMESPACE: 'a.b' }, 'FLOTILLA_AGENT_NAMESPACE', /not a valid namespace name/],
    [{ FLOTILLA_CLUSTER_NAME: 'Prod Cluster' }, 'FLOTILLA_CLUSTER_NAME', /not a DNS label/],
    [{ FLOTILLA_LOG_LEVEL: 'chatty' }, 'FLOTILLA_LOG_LEVEL', /not one of debug, info, warn, error/],
    [{ FLOTILLA_RESYNC_SECONDS: '-1' }, 'FLOTILLA_RESYNC_SECONDS', /positive number/],
    [{ FLOTILLA_PROBE_PORT: '70000' }, 'FLOTILLA_PROBE_PORT', /"70000" is not a port number/],
    [{ FLOTILLA_PROBE_PORT: 'http' }, 'FLOTILLA_PROBE_PORT', /"http" is not a port number/],
  ] as [Env, string, RegExp][])('rejects %o naming %s', (override, variable, message) => {
    const error = failure({ ...base, ...override });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toMatch(message);
  });
});
