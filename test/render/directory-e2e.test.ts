/**
 * End to end (issue #10): a bundle directory uploaded as a tarball — a Helm
 * chart with a fleet.yaml whose targetCustomizations differ per label —
 * deploys to three real clusters through real agents, each with its own
 * replicas, image, namespace, Service type and values, asserted on the live
 * objects; and a chart with Helm hooks and Argo CD sync waves, whose hooks and
 * waves run in order on the cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, rand, read } from '../agent/agent-support.ts';
import { archiveOf } from '../support/bundle-archive.ts';
import { eventually } from '../support/eventually.ts';
import { startFleet, type FleetMember, type TestFleet } from '../support/fleet.ts';
import type { TestHub } from '../support/hub.ts';

const WAIT = { timeoutMs: 120_000, intervalMs: 500 };
const LABELS = [
  { env: 'prod', region: 'eu' },
  { env: 'prod', region: 'us' },
  { env: 'dev', region: 'eu' },
];

type Member = FleetMember;

let fleet: TestFleet | undefined;
let hub: TestHub;
let members: Member[] = [];

beforeAll(async () => {
  fleet = await startFleet(LABELS);
  ({ hub, members } = fleet);
}, 600_000);

afterAll(async () => {
  await fleet?.dispose();
});

/** A chart in the style of a Fleet repository: per-environment values in fleet.yaml, the region templated in. */
function shopBundle(release: string): Record<string, string> {
  return {
    'fleet.yaml': `defaultNamespace: shop-dev
helm:
  releaseName: ${release}
  values:
    replicas: 1
    image: nginx:1.27-alpine
    serviceType: ClusterIP
    greeting: "hello from \${ .ClusterLabels.region }"
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    defaultNamespace: shop-prod
    helm:
      values:
        replicas: 3
        image: nginx:1.27
        serviceType: NodePort
`,
    'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
    'templates/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .Release.Namespace }}\n',
    'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
spec:
  replicas: {{ .Values.replicas }}
  selector: { matchLabels: { app: {{ .Release.Name }} } }
  template:
    metadata: { labels: { app: {{ .Release.Name }} } }
    spec:
      containers:
        - name: web
          image: {{ .Values.image | quote }}
`,
    'templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
spec:
  type: {{ .Values.serviceType }}
  selector: { app: {{ .Release.Name }} }
  ports: [{ port: 80 }]
`,
    'templates/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
  namespace: {{ .Release.Namespace }}
data:
  greeting: {{ .Values.greeting | quote }}
`,
  };
}

describe('a directory bundle on three labelled clusters', () => {
  it('deploys what each cluster\'s labels select', { timeout: 300_000 }, async () => {
    const release = `shop-${rand()}`;
    const put = await hub.api('PUT', `/api/v1/bundles/${release}`, {
      directory: { archive: await archiveOf(shopBundle(release)) },
      targets: [{ clusterSelector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } }],
    });
    expect(put.status).toBe(201);
    const expected = [
      { ns: 'shop-prod', replicas: 3, image: 'nginx:1.27', type: 'NodePort', greeting: 'hello from eu' },
      { ns: 'shop-prod', replicas: 3, image: 'nginx:1.27', type: 'NodePort', greeting: 'hello from us' },
      { ns: 'shop-dev', replicas: 1, image: 'nginx:1.27-alpine', type: 'ClusterIP', greeting: 'hello from eu' },
    ];
    await Promise.all(
      members.map((m, i) =>
        eventually(async () => {
          const want = expected[i]!;
          const deploy = await read(m.kube, `/apis/apps/v1/namespaces/${want.ns}/deployments/${release}`);
          expect(deploy?.spec.replicas).toBe(want.replicas);
          expect(deploy.spec.template.spec.containers[0].image).toBe(want.image);
          expect((await read(m.kube, `/api/v1/namespaces/${want.ns}/services/${release}`))?.spec.type).toBe(want.type);
          expect((await read(m.kube, `/api/v1/namespaces/${want.ns}/configmaps/${release}-settings`))?.data).toEqual({ greeting: want.greeting });
        }, WAIT),
      ),
    );
    // The dev cluster has nothing in the prod namespace, and the reverse.
    expect(await read(members[2]!.kube, `/apis/apps/v1/namespaces/shop-prod/deployments/${release}`)).toBeUndefined();
    expect(await read(members[0]!.kube, `/apis/apps/v1/namespaces/shop-dev/deployments/${release}`)).toBeUndefined();
    await eventually(async () => {
      const status = (await hub.api('GET', `/api/v1/bundles/${release}/status`)).body;
      expect(status.counts.Ready).toBe(3);
    }, WAIT);
  });

  it('runs a chart\'s pre-install hook, then its sync waves, then its post-install hook', { timeout: 300_000 }, async () => {
    const release = `hooks-${rand()}`;
    const ns = `hooks-${rand()}`;
    const files: Record<string, string> = {
      'fleet.yaml': `defaultNamespace: ${ns}\nhelm:\n  releaseName: ${release}\n`,
      'Chart.yaml': 'apiVersion: v2\nname: hooks\nversion: 0.1.0\n',
      'templates/migrate.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  namespace: {{ .Release.Namespace }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-5"
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: run, image: "registry.k8s.io/pause:3.10" }]
`,
      'templates/first.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-first\n  namespace: {{ .Release.Namespace }}\ndata: { wave: "0" }\n',
      'templates/second.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-second\n  namespace: {{ .Release.Namespace }}\n  annotations:\n    argocd.argoproj.io/sync-wave: "1"\ndata: { wave: "1" }\n',
      'templates/post.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-post\n  namespace: {{ .Release.Namespace }}\n  annotations:\n    helm.sh/hook: post-install\ndata: { hook: post }\n',
      'templates/tests/smoke.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-smoke\n  namespace: {{ .Release.Namespace }}\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers: [{ name: t, image: "registry.k8s.io/pause:3.10" }]\n',
    };
    const kube = members[2]!.kube;
    // The agent does not create a bundle's namespace (Fleet's createNamespace): hooks run before the main objects.
    await createNamespace(kube, ns);
    const put = await hub.api('PUT', `/api/v1/bundles/${release}`, {
      directory: { archive: await archiveOf(files) },
      targets: [{ clusterSelector: { matchLabels: { env: 'dev' } } }],
    });
    expect(put.status).toBe(201);
    const rv = (obj: { metadata: { resourceVersion: string } }) => Number(obj.metadata.resourceVersion);
    const cm = (name: string) => read(kube, `/api/v1/namespaces/${ns}/configmaps/${release}-${name}`);
    await eventually(async () => expect(await cm('post')).toBeDefined(), WAIT);
    const job = await read(kube, `/apis/batch/v1/namespaces/${ns}/jobs/${release}-migrate`);
    expect(job.status.conditions).toContainEqual(expect.objectContaining({ type: 'Complete', status: 'True' }));
    const [first, second, post] = [await cm('first'), await cm('second'), await cm('post')];
    // One etcd revision sequence per cluster: the completed hook's last write, then wave 0, wave 1, the post hook.
    expect(rv(job)).toBeLessThan(rv(first));
    expect(rv(first)).toBeLessThan(rv(second));
    expect(rv(second)).toBeLessThan(rv(post));
    expect(await read(kube, `/api/v1/namespaces/${ns}/pods/${release}-smoke`)).toBeUndefined();
    await eventually(async () => {
      const status = (await hub.api('GET', `/api/v1/bundles/${release}/status`)).body;
      expect(status.counts.Ready).toBe(1);
    }, WAIT);
  });

  it("creates the release namespace with fleet.yaml's labels, forces objects into it, refuses cluster-scoped ones, deletes it with the bundle", { timeout: 300_000 }, async () => {
    const { kube, cluster } = members[2]!;
    const release = `nsopts-${rand()}`;
    const ns = `forced-${rand()}`;
    const put = await hub.api('PUT', `/api/v1/bundles/${release}`, {
      directory: {
        archive: await archiveOf({
          'fleet.yaml': `namespace: ${ns}\nnamespaceLabels: { team: platform }\nnamespaceAnnotations: { owner: flotilla }\ndeleteNamespace: true\n`,
          'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: elsewhere\ndata: { v: "1" }\n',
          'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata: { v: "2" }\n',
        }),
      },
      targets: [{ clusterName: cluster.name }],
    });
    expect(put.status).toBe(201);
    await eventually(async () => {
      const namespace = await read(kube, `/api/v1/namespaces/${ns}`);
      expect(namespace?.metadata.labels).toMatchObject({ team: 'platform' });
      expect(namespace?.metadata.annotations).toMatchObject({ owner: 'flotilla' });
      expect((await read(kube, `/api/v1/namespaces/${ns}/configmaps/a`))?.data).toEqual({ v: '1' });
      expect((await read(kube, `/api/v1/namespaces/${ns}/configmaps/b`))?.data).toEqual({ v: '2' });
    }, WAIT);
    expect(await read(kube, '/api/v1/namespaces/elsewhere/configmaps/a')).toBeUndefined();
    await eventually(async () => expect((await hub.api('GET', `/api/v1/bundles/${release}/status`)).body.counts.Ready).toBe(1), WAIT);

    // A cluster-scoped object cannot be forced into a namespace: refused, named, the rest still applied.
    const clusterScoped = `${release}-cs`;
    await hub.api('PUT', `/api/v1/bundles/${clusterScoped}`, {
      directory: {
        archive: await archiveOf({
          'fleet.yaml': `namespace: ${ns}\n`,
          'role.yaml': `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${clusterScoped}\nrules: []\n`,
        }),
      },
      targets: [{ clusterName: cluster.name }],
    });
    await eventually(async () => {
      const item = (await hub.api('GET', `/api/v1/bundles/${clusterScoped}/status`)).body.items[0];
      expect(item).toMatchObject({ state: 'ErrApplied', message: expect.stringContaining('is cluster-scoped') });
    }, WAIT);
    expect(await read(kube, `/apis/rbac.authorization.k8s.io/v1/clusterroles/${clusterScoped}`)).toBeUndefined();
    expect((await hub.api('DELETE', `/api/v1/bundles/${clusterScoped}`)).status).toBe(204);

    // deleteNamespace: the namespace goes with the bundle (Terminating, then gone).
    expect((await hub.api('DELETE', `/api/v1/bundles/${release}`)).status).toBe(204);
    await eventually(async () => {
      const namespace = await read(kube, `/api/v1/namespaces/${ns}`);
      expect(namespace === undefined || namespace.metadata.deletionTimestamp !== undefined).toBe(true);
    }, WAIT);
  });
});
