/**
 * The agent's Helm chart (charts/agent) with the real, pinned helm binary of
 * the test-cluster harness: lint, rendering in cluster-wide and namespaced
 * mode, validation messages for bad values, the registration token staying in
 * its Secret, and the rendered objects accepted by a real API server
 * (server-side apply, dry run), plus a real install and upgrade.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
  type V1ClusterRole,
  type V1Deployment,
  type V1EnvVar,
  type V1Role,
  type V1RoleBinding,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startClusters, toolPath, type Cluster } from '../clusters/index.ts';
import { eventually } from '../support/eventually.ts';
import { repoPath } from '../support/paths.ts';

const CHART = repoPath('charts/agent');
const HUB = 'hub.example.com:8443';
const rand = (): string => randomBytes(4).toString('hex');
/** A token shaped like the hub's (`flt_reg_<id>_<secret>`), different in every run. */
const TOKEN = `flt_reg_${randomUUID()}_${randomBytes(32).toString('base64url')}`;
const TOKEN_B64 = Buffer.from(TOKEN).toString('base64');
const CA_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBijCCATGgAwIBAgIUXFVB0pvzr/0r+Q6aFAIcenZM/EMwCgYIKoZIzj0EAwIw',
  'GzEZMBcGA1UEAwwQZmxvdGlsbGEtdGVzdC1jYTAeFw0yNjExMjcxMzUxNTJaFw0y',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

type Doc = KubernetesObject & Record<string, unknown>;

interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

let helm: string;
/** Private HELM_*_HOME directories so the tests never read or write the user's helm configuration. */
let helmHome: string;

function runHelm(args: string[], env: Record<string, string> = {}): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    execFile(
      helm,
      args,
      {
        cwd: repoPath('.'),
        maxBuffer: 16 * 1024 * 1024,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: helmHome,
          HELM_CACHE_HOME: path.join(helmHome, 'cache'),
          HELM_CONFIG_HOME: path.join(helmHome, 'config'),
          HELM_DATA_HOME: path.join(helmHome, 'data'),
          // No cluster unless a test gives one.
          KUBECONFIG: path.join(helmHome, 'no-kubeconfig'),
          ...env,
        },
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Writes a values file (JSON is YAML) and returns its path. */
function valuesFile(values: unknown): string {
  const file = path.join(helmHome, `values-${rand()}.yaml`);
  fs.writeFileSync(file, JSON.stringify(values, null, 2));
  return file;
}

const goodValues = {
  hub: { address: HUB, ca: CA_PEM },
  registrationToken: TOKEN,
  clusterName: 'prod-eu-1',
  labels: { zone: 'b', env: 'prod', 'example.com/team': 'platform' },
  logLevel: 'debug',
};

const namespacedValues = {
  hub: { address: HUB, caSecret: 'hub-ca', caKey: 'ca.pem' },
  existingTokenSecret: 'my-token',
  rbac: { namespaced: true, namespaces: ['team-a', 'team-b'] },
};

/** `helm template` of the chart; fails the test with helm's stderr if it fails. */
async function render(values: unknown, extraArgs: string[] = [], namespace = 'flotilla-system'): Promise<Doc[]> {
  const result = await runHelm(['template', 'flotilla-agent', CHART, '--namespace', namespace, '-f', valuesFile(values), ...extraArgs]);
  expect(result.stderr, 'helm template stderr').toBe('');
  expect(result.code).toBe(0);
  return parse(result.stdout);
}

/** Kubernetes reads YAML 1.1 (sigs.k8s.io/yaml); so do we. */
function parse(text: string): Doc[] {
  return parseAllDocuments(text, { version: '1.1' })
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`invalid YAML from helm: ${d.errors.map((e) => e.message).join('; ')}`);
      return d.toJS() as Doc | null;
    })
    .filter((d): d is Doc => d !== null);
}

/** `helm template` that must fail; returns stderr. */
async function renderFails(values: unknown, extraArgs: string[] = []): Promise<string> {
  const result = await runHelm(['template', 'flotilla-agent', CHART, '--namespace', 'flotilla-system', '-f', valuesFile(values), ...extraArgs]);
  expect(result.code, `helm template should fail; stdout:\n${result.stdout}`).not.toBe(0);
  expect(result.stdout).toBe('');
  return result.stderr;
}

const key = (d: Doc): string => `${d.kind}/${d.metadata?.namespace ? `${d.metadata.namespace}/` : ''}${d.metadata?.name}`;
const find = <T = Doc>(docs: Doc[], kind: string, name?: string, namespace?: string): T => {
  const found = docs.filter((d) => d.kind === kind && (!name || d.metadata?.name === name) && (!namespace || d.metadata?.namespace === namespace));
  expect(found.map(key), `exactly one ${kind} ${name ?? ''} ${namespace ?? ''}`).toHaveLength(1);
  return found[0] as T;
};
const envOf = (deployment: V1Deployment): Map<string, V1EnvVar> =>
  new Map((deployment.spec?.template.spec?.containers[0]?.env ?? []).map((e) => [e.name, e]));
const WRITE_VERBS = ['*', 'create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate'];

beforeAll(async () => {
  helmHome = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-helm-'));
  // Built from the Go module proxy into .cache/ on first use; a cold build takes many minutes.
  helm = await toolPath('helm');
}, 60 * 60_000);

afterAll(() => {
  if (helmHome) fs.rmSync(helmHome, { recursive: true, force: true });
});

describe('agent chart: lint', () => {
  it('passes helm lint --strict with good values, in both modes', async () => {
    for (const values of [goodValues, namespacedValues]) {
      const result = await runHelm(['lint', CHART, '--strict', '--namespace', 'flotilla-system', '-f', valuesFile(values)]);
      expect(result.stdout + result.stderr, JSON.stringify(values)).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(result.code).toBe(0);
    }
  });
});

describe('agent chart: rendering', () => {
  it('renders the cluster-wide mode: ServiceAccount, token Secret, CA ConfigMap, state Role, ClusterRole with every right, Deployment', async () => {
    const docs = await render(goodValues);
    expect(docs.map(key).sort()).toEqual(
      [
        'ClusterRole/flotilla-agent',
        'ClusterRoleBinding/flotilla-agent',
        'ConfigMap/flotilla-system/flotilla-agent-hub-ca',
        'Deployment/flotilla-system/flotilla-agent',
        'Role/flotilla-system/flotilla-agent-state',
        'RoleBinding/flotilla-system/flotilla-agent-state',
        'Secret/flotilla-system/flotilla-agent-registration-token',
        'ServiceAccount/flotilla-system/flotilla-agent',
      ].sort(),
    );
    for (const d of docs) {
      expect(d.metadata?.labels, key(d)).toMatchObject({
        'app.kubernetes.io/name': 'flotilla-agent',
        'app.kubernetes.io/instance': 'flotilla-agent',
        'app.kubernetes.io/version': '0.1.0',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/part-of': 'flotilla',
        'helm.sh/chart': 'flotilla-agent-0.1.0',
      });
    }

    const clusterRole = find<V1ClusterRole>(docs, 'ClusterRole');
    expect(clusterRole.rules).toContainEqual({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
    const binding = find<V1RoleBinding>(docs, 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flotilla-agent' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'flotilla-agent', namespace: 'flotilla-system' }]);

    const state = find<V1Role>(docs, 'Role', 'flotilla-agent-state');
    expect(state.rules).toEqual([
      { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
    ]);

    const secret = find(docs, 'Secret');
    expect(secret.data).toEqual({ token: TOKEN_B64 });
    const ca = find(docs, 'ConfigMap');
    expect(ca.data).toEqual({ 'ca.crt': CA_PEM });

    const deployment = find<V1Deployment>(docs, 'Deployment');
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.spec?.strategy).toEqual({ type: 'Recreate' });
    const pod = deployment.spec!.template.spec!;
    expect(pod.serviceAccountName).toBe('flotilla-agent');
    const container = pod.containers[0]!;
    expect(pod.containers).toHaveLength(1);
    expect(container.image).toBe('ghcr.io/flotilla/agent:0.1.0');
    expect(container.command).toEqual(['node', '--jitless', 'agent/dist/main.js']);
    expect(container.ports).toEqual([{ name: 'probes', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'probes' }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 });
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'probes' }, periodSeconds: 10, timeoutSeconds: 5 });
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '256Mi' } });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });

    const env = envOf(deployment);
    expect(env.get('FLOTILLA_HUB_ADDRESS')?.value).toBe(HUB);
    expect(env.get('FLOTILLA_HUB_CA_FILE')?.value).toBe('/etc/flotilla/hub-ca/ca.crt');
    expect(env.has('FLOTILLA_HUB_INSECURE')).toBe(false);
    expect(env.get('FLOTILLA_REGISTRATION_TOKEN_FILE')?.value).toBe('/etc/flotilla/registration/token');
    expect(env.has('FLOTILLA_REGISTRATION_TOKEN')).toBe(false);
    expect(env.get('FLOTILLA_CLUSTER_NAME')?.value).toBe('prod-eu-1');
    expect(env.get('FLOTILLA_CLUSTER_LABELS')?.value).toBe('env=prod,example.com/team=platform,zone=b');
    expect(env.get('FLOTILLA_AGENT_NAMESPACE')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.namespace' } });
    expect(env.get('FLOTILLA_LOG_LEVEL')?.value).toBe('debug');
    expect(env.get('FLOTILLA_PROBE_PORT')?.value).toBe('8080');
    expect(env.has('FLOTILLA_NAMESPACES')).toBe(false);

    // The token file and the CA file are where the variables say.
    const mounts = new Map((container.volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
    expect(mounts.get('registration-token')).toBe('/etc/flotilla/registration');
    expect(mounts.get('hub-ca')).toBe('/etc/flotilla/hub-ca');
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    expect(volumes.get('registration-token')?.secret).toEqual({
      secretName: 'flotilla-agent-registration-token',
      optional: true,
      defaultMode: 0o444,
      items: [{ key: 'token', path: 'token' }],
    });
    expect(volumes.get('hub-ca')?.configMap).toEqual({ name: 'flotilla-agent-hub-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] });
  });

  it('renders the namespaced mode: a Role per namespace, FLOTILLA_NAMESPACES, no cluster-wide write rights', async () => {
    const docs = await render(namespacedValues, [], 'agents');
    expect(docs.map(key).sort()).toEqual(
      [
        'ClusterRole/flotilla-agent',
        'ClusterRoleBinding/flotilla-agent',
        'Deployment/agents/flotilla-agent',
        'Role/agents/flotilla-agent-state',
        'Role/team-a/flotilla-agent',
        'Role/team-b/flotilla-agent',
        'RoleBinding/agents/flotilla-agent-state',
        'RoleBinding/team-a/flotilla-agent',
        'RoleBinding/team-b/flotilla-agent',
        'ServiceAccount/agents/flotilla-agent',
      ].sort(),
    );

    for (const ns of ['team-a', 'team-b']) {
      expect(find<V1Role>(docs, 'Role', 'flotilla-agent', ns).rules).toEqual([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);
      const binding = find<V1RoleBinding>(docs, 'RoleBinding', 'flotilla-agent', ns);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flotilla-agent' });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'flotilla-agent', namespace: 'agents' }]);
    }

    // Cluster-wide: only reading the namespaces involved, and discovery.
    const clusterRoles = docs.filter((d): d is Doc & V1ClusterRole => d.kind === 'ClusterRole');
    for (const role of clusterRoles) {
      for (const rule of role.rules ?? []) {
        expect(rule.verbs.filter((v) => WRITE_VERBS.includes(v)), JSON.stringify(rule)).toEqual([]);
        expect(rule.resources ?? [], JSON.stringify(rule)).not.toContain('*');
      }
    }
    const clusterRole = find<V1ClusterRole>(docs, 'ClusterRole');
    expect(clusterRole.rules).toContainEqual({
      apiGroups: [''],
      resources: ['namespaces'],
      resourceNames: ['kube-system', 'agents', 'team-a', 'team-b'],
      verbs: ['get'],
    });
    expect(clusterRole.rules?.find((r) => r.nonResourceURLs)?.nonResourceURLs).toEqual(
      expect.arrayContaining(['/api', '/api/*', '/apis', '/apis/*', '/version']),
    );
    // Nothing binds a ClusterRole inside a namespace either.
    for (const b of docs.filter((d): d is Doc & V1RoleBinding => d.kind === 'RoleBinding')) expect(b.roleRef.kind).toBe('Role');

    const deployment = find<V1Deployment>(docs, 'Deployment');
    const env = envOf(deployment);
    expect(env.get('FLOTILLA_NAMESPACES')?.value).toBe('team-a,team-b');
    expect(env.get('FLOTILLA_HUB_CA_FILE')?.value).toBe('/etc/flotilla/hub-ca/ca.crt');
    expect(env.has('FLOTILLA_CLUSTER_NAME')).toBe(false);
    expect(env.has('FLOTILLA_CLUSTER_LABELS')).toBe(false);
    expect(env.get('FLOTILLA_LOG_LEVEL')?.value).toBe('info');
    const volumes = new Map((deployment.spec?.template.spec?.volumes ?? []).map((v) => [v.name, v]));
    // An existing token Secret is referenced, none is created; the CA comes from an existing Secret.
    expect(volumes.get('registration-token')?.secret).toMatchObject({ secretName: 'my-token', items: [{ key: 'token', path: 'token' }] });
    expect(volumes.get('hub-ca')?.secret).toMatchObject({ secretName: 'hub-ca', items: [{ key: 'ca.pem', path: 'ca.crt' }] });
  });

  it('renders insecure mode, image overrides and scheduling values', async () => {
    const docs = await render({
      hub: { address: '[fd00::1]:443', insecure: true },
      registrationToken: TOKEN,
      image: { repository: 'registry.local/flotilla/agent', tag: 'dev', pullPolicy: 'Always' },
      imagePullSecrets: [{ name: 'regcred' }],
      serviceAccount: { create: false, name: 'existing-sa' },
      rbac: { create: false },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      priorityClassName: 'system-cluster-critical',
      extraEnv: [{ name: 'FLOTILLA_RESYNC_SECONDS', value: '60' }],
    });
    expect(docs.map((d) => d.kind).sort()).toEqual(['Deployment', 'Secret']);
    const deployment = find<V1Deployment>(docs, 'Deployment');
    const pod = deployment.spec!.template.spec!;
    expect(pod.serviceAccountName).toBe('existing-sa');
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toHaveLength(1);
    expect(pod.priorityClassName).toBe('system-cluster-critical');
    expect(pod.containers[0]?.image).toBe('registry.local/flotilla/agent:dev');
    expect(pod.containers[0]?.imagePullPolicy).toBe('Always');
    const env = envOf(deployment);
    expect(env.get('FLOTILLA_HUB_INSECURE')?.value).toBe('true');
    expect(env.get('FLOTILLA_HUB_ADDRESS')?.value).toBe('[fd00::1]:443');
    expect(env.has('FLOTILLA_HUB_CA_FILE')).toBe(false);
    expect(env.get('FLOTILLA_RESYNC_SECONDS')?.value).toBe('60');
    expect(pod.volumes?.map((v) => v.name)).not.toContain('hub-ca');
  });

  it('needs no token on upgrade (the agent has its credential), and then creates no token Secret', async () => {
    const docs = await render({ hub: { address: HUB } }, ['--is-upgrade']);
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    // Still mounted, optionally: an agent that has not registered yet can get a token Secret later.
    const volumes = find<V1Deployment>(docs, 'Deployment').spec?.template.spec?.volumes ?? [];
    expect(volumes.find((v) => v.name === 'registration-token')?.secret).toMatchObject({
      secretName: 'flotilla-agent-registration-token',
      optional: true,
    });
  });

  it('keeps the registration token out of everything but its Secret (other objects, errors; NOTES: see the install below)', async () => {
    const docs = await render(goodValues);
    const holders = docs.filter((d) => {
      const text = JSON.stringify(d);
      return text.includes(TOKEN) || text.includes(TOKEN_B64);
    });
    expect(holders.map(key)).toEqual(['Secret/flotilla-system/flotilla-agent-registration-token']);
    // Stored base64-encoded only: the raw token is nowhere in the manifest.
    const raw = await runHelm(['template', 'flotilla-agent', CHART, '-n', 'flotilla-system', '-f', valuesFile(goodValues)]);
    expect(raw.stdout).not.toContain(TOKEN);

    // Failed validations do not echo it either.
    for (const bad of [
      { ...goodValues, hubb: 1 },
      { ...goodValues, hub: { address: 'https://x' } },
      { ...goodValues, existingTokenSecret: 'x' },
    ]) {
      const stderr = await renderFails(bad);
      expect(stderr).not.toContain(TOKEN);
      expect(stderr).not.toContain(TOKEN_B64);
    }
  });
});

describe('agent chart: bad values fail with precise messages', () => {
  const base = { hub: { address: HUB }, registrationToken: TOKEN };

  it('requires hub.address', async () => {
    const stderr = await renderFails({ registrationToken: TOKEN });
    expect(stderr).toContain('hub.address is required');
    expect(stderr).toContain('--set hub.address=');
  });

  it('rejects a hub.address that is not host:port', async () => {
    for (const address of ['https://hub.example.com:8443', 'hub.example.com', 'hub.example.com:0', 'hub:99999', 'hub:8443/path']) {
      const stderr = await renderFails({ ...base, hub: { address } });
      expect(stderr, address).toMatch(/at '\/hub\/address'/);
      expect(stderr, address).toContain(address);
    }
  });

  it('requires a registration token on install', async () => {
    const stderr = await renderFails({ hub: { address: HUB } });
    expect(stderr).toContain('a registration token is required');
    expect(stderr).toContain('--set registrationToken=');
    expect(stderr).toContain('existingTokenSecret');
  });

  it('treats a blank token as missing', async () => {
    expect(await renderFails({ hub: { address: HUB }, registrationToken: '  \n' })).toContain('a registration token is required');
  });

  it('rejects both a token and an existing token Secret', async () => {
    const stderr = await renderFails({ ...base, existingTokenSecret: 'my-token' });
    expect(stderr).toContain('set either registrationToken or existingTokenSecret, not both');
  });

  it('rejects a typo in a top-level key (schema)', async () => {
    const stderr = await renderFails({ ...base, registrationTokn: 'x' });
    expect(stderr).toContain('flotilla-agent');
    expect(stderr).toMatch(/additional properties? 'registrationTokn' not allowed/i);
  });

  it('rejects a typo in a nested key (schema)', async () => {
    const stderr = await renderFails({ ...base, hub: { address: HUB, insecrue: true } });
    expect(stderr).toMatch(/at '\/hub'/);
    expect(stderr).toMatch(/'insecrue' not allowed/);
  });

  it('rejects labels given as a list (schema)', async () => {
    const stderr = await renderFails({ ...base, labels: ['env=prod'] });
    expect(stderr).toMatch(/at '\/labels'/);
    expect(stderr).toMatch(/got array, want object/);
  });

  it('rejects a label value that is not a string, and an invalid label key (schema)', async () => {
    const boolValue = await renderFails({ ...base, labels: { critical: true } });
    expect(boolValue).toMatch(/at '\/labels\/critical'/);
    expect(boolValue).toMatch(/got boolean, want string/);
    const badKey = await renderFails({ ...base, labels: { 'not a key': 'x' } });
    expect(badKey).toMatch(/at '\/labels': additional properties 'not a key' not allowed/);
  });

  it('rejects other wrong types and enums (schema)', async () => {
    expect(await renderFails({ ...base, hub: { address: HUB, insecure: 'yes' } })).toMatch(/at '\/hub\/insecure'.*got string, want boolean/s);
    expect(await renderFails({ ...base, logLevel: 'verbose' })).toContain("at '/logLevel': value must be one of 'debug', 'info', 'warn', 'error'");
    expect(await renderFails({ ...base, replicaCount: 2 })).toMatch(/at '\/replicaCount'/);
    expect(await renderFails({ ...base, clusterName: 'Prod_1' })).toMatch(/at '\/clusterName'/);
    expect(await renderFails({ ...base, rbac: { namespaced: true, namespaces: ['Team A'] } })).toMatch(/at '\/rbac\/namespaces\/0'/);
    // Node flags are flags: no shell words, no script path smuggled into the command.
    expect(await renderFails({ ...base, nodeOptions: ['--jitless --inspect'] })).toMatch(/at '\/nodeOptions\/0'/);
    expect(await renderFails({ ...base, nodeOptions: ['evil.js'] })).toMatch(/at '\/nodeOptions\/0'/);
    expect(await renderFails({ ...base, nodeOptions: '--jitless' })).toMatch(/at '\/nodeOptions'.*got string, want array/s);
    expect(await renderFails({ ...base, probes: { port: 0 } })).toMatch(/at '\/probes\/port'/);
    expect(await renderFails({ ...base, probes: { port: '8080' } })).toMatch(/at '\/probes\/port'.*got string, want integer/s);
  });

  it('passes nodeOptions to node before the agent script', async () => {
    const docs = await render({ ...base, nodeOptions: ['--max-old-space-size=96', '--jitless'] });
    const container = find<V1Deployment>(docs, 'Deployment').spec!.template.spec!.containers[0]!;
    expect(container.command).toEqual(['node', '--max-old-space-size=96', '--jitless', 'agent/dist/main.js']);
    const none = find<V1Deployment>(await render({ ...base, nodeOptions: [] }), 'Deployment').spec!.template.spec!.containers[0]!;
    expect(none.command).toEqual(['node', 'agent/dist/main.js']);
  });

  it('requires namespaces in namespaced mode', async () => {
    const stderr = await renderFails({ ...base, rbac: { namespaced: true } });
    expect(stderr).toContain('rbac.namespaced=true requires at least one namespace in rbac.namespaces');
  });

  it('refuses namespaces without namespaced mode (it would grant cluster-wide rights)', async () => {
    const stderr = await renderFails({ ...base, rbac: { namespaces: ['team-a'] } });
    expect(stderr).toContain('rbac.namespaces is set (team-a) but rbac.namespaced is false');
  });

  it('rejects conflicting hub TLS settings and overriding chart-managed variables', async () => {
    expect(await renderFails({ ...base, hub: { address: HUB, insecure: true, ca: CA_PEM } })).toContain(
      'hub.insecure=true cannot be combined with hub.ca',
    );
    expect(await renderFails({ ...base, hub: { address: HUB, ca: CA_PEM, caSecret: 'hub-ca' } })).toContain(
      'set only one of hub.ca, hub.caSecret and hub.caConfigMap (got hub.ca, hub.caSecret)',
    );
    expect(await renderFails({ ...base, extraEnv: [{ name: 'FLOTILLA_HUB_ADDRESS', value: 'x:1' }] })).toContain(
      'extraEnv[0]: FLOTILLA_HUB_ADDRESS is set by the chart',
    );
  });

  it('fails helm lint --strict as well', async () => {
    const result = await runHelm(['lint', CHART, '--strict', '-f', valuesFile({ ...base, hubb: 1 })]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/'hubb' not allowed/);
  });
});

describe('agent chart on a real API server (api-only cluster)', () => {
  let cluster: Cluster | undefined;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let objects: KubernetesObjectApi;

  beforeAll(async () => {
    [cluster] = await startClusters(1);
    kc = new KubeConfig();
    kc.loadFromString(cluster!.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    objects = KubernetesObjectApi.makeApiClient(kc);
  }, 60 * 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  async function createNamespaces(...names: string[]): Promise<void> {
    for (const name of names) await core.createNamespace({ body: { metadata: { name } } });
    await eventually(
      async () => {
        for (const name of names) expect((await core.readNamespace({ name })).status?.phase).toBe('Active');
      },
      { description: `namespaces ${names.join(', ')} active` },
    );
  }

  /** Server-side apply with dryRun=All: the API server validates and admits every object, persists nothing. */
  async function dryRunApply(docs: Doc[]): Promise<void> {
    const rejected: string[] = [];
    for (const doc of docs) {
      try {
        const accepted = await objects.patch(doc, undefined, 'All', 'flotilla-test', true, PatchStrategy.ServerSideApply);
        expect(accepted.metadata?.name).toBe(doc.metadata?.name);
        if (doc.kind === 'Deployment') {
          // The whole pod spec reached the server (the client sends only fields its model knows).
          const sent = (doc as V1Deployment).spec?.template.spec;
          const got = (accepted as V1Deployment).spec?.template.spec;
          expect(got?.containers[0]?.env?.map((e) => e.name)).toEqual(sent?.containers[0]?.env?.map((e) => e.name));
          expect(got?.volumes?.map((v) => v.name)).toEqual(sent?.volumes?.map((v) => v.name));
          expect(got?.containers[0]?.securityContext).toEqual(sent?.containers[0]?.securityContext);
        }
      } catch (err) {
        rejected.push(`${key(doc)}: ${(err as Error).message}`);
      }
    }
    expect(rejected).toEqual([]);
  }

  it('accepts every object of the cluster-wide mode (server-side dry run)', async () => {
    const namespace = `flotilla-${rand()}`;
    await createNamespaces(namespace);
    const docs = await render({ ...goodValues, priorityClassName: 'system-cluster-critical' }, [], namespace);
    expect(docs.length).toBeGreaterThanOrEqual(8);
    await dryRunApply(docs);
    // Nothing was stored.
    await expect(kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'flotilla-agent', namespace })).rejects.toMatchObject({ code: 404 });
  });

  it('accepts every object of the namespaced mode (server-side dry run)', async () => {
    const namespace = `flotilla-${rand()}`;
    const teams = [`team-${rand()}`, `team-${rand()}`];
    await createNamespaces(namespace, ...teams);
    const docs = await render({ ...namespacedValues, rbac: { namespaced: true, namespaces: teams } }, [], namespace);
    expect(docs.filter((d) => d.kind === 'Role').map((d) => d.metadata?.namespace).sort()).toEqual([namespace, ...teams].sort());
    await dryRunApply(docs);
  });

  it('installs with one helm install and a token, and keeps the token Secret on an upgrade without it', async () => {
    const namespace = `flotilla-${rand()}`;
    const env = { KUBECONFIG: cluster!.kubeconfigPath };
    // A release name of its own: cluster-scoped names (ClusterRole) must not clash with other tests.
    const release = `agent-${rand()}`;
    const install = await runHelm(
      ['install', release, CHART, '-n', namespace, '--create-namespace', '--set', `hub.address=${HUB}`, '--set', `registrationToken=${TOKEN}`],
      env,
    );
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    // NOTES.txt is printed and does not show the token.
    const notes = install.stdout.slice(install.stdout.indexOf('NOTES:'));
    expect(notes).toContain(`It dials out to the hub at ${HUB}`);
    expect(notes).toContain(`kubectl -n ${namespace} get secret flotilla-agent-credential`);
    expect(install.stdout).not.toContain(TOKEN);
    expect(install.stdout).not.toContain(TOKEN_B64);

    const fullname = `${release}-flotilla-agent`;
    const secretName = `${fullname}-registration-token`;
    const secret = await core.readNamespacedSecret({ name: secretName, namespace });
    expect(Buffer.from(secret.data?.token ?? '', 'base64').toString()).toBe(TOKEN);

    // The Deployment controller creates the agent's pod (it stays Pending: api-only has no scheduler).
    await eventually(
      async () => {
        const pods = await core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/instance=${release}` });
        expect(pods.items).toHaveLength(1);
        expect(pods.items[0]?.spec?.serviceAccountName).toBe(fullname);
      },
      { timeoutMs: 60_000, description: 'the agent pod is created' },
    );

    const upgrade = await runHelm(['upgrade', release, CHART, '-n', namespace, '--set', `hub.address=${HUB}`, '--set', 'logLevel=debug'], env);
    expect(upgrade.stderr).toBe('');
    expect(upgrade.code).toBe(0);
    const kept = await core.readNamespacedSecret({ name: secretName, namespace });
    expect(kept.data?.token).toBe(secret.data?.token);
    const deployment = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: fullname, namespace });
    expect(deployment.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'FLOTILLA_LOG_LEVEL')?.value).toBe('debug');

    const uninstall = await runHelm(['uninstall', release, '-n', namespace], env);
    expect(uninstall.code).toBe(0);
    await expect(core.readNamespacedSecret({ name: secretName, namespace })).rejects.toMatchObject({ code: 404 });
  });
});
