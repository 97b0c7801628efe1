/**
 * The generated bundle tree of the render benchmark: raw, Kustomize and Helm
 * bundle directories, each customised per environment by its fleet.yaml, so
 * every bundle has exactly one distinct customisation per environment.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ENVS = ['dev', 'staging', 'prod'] as const;
export type Env = (typeof ENVS)[number];
const REPLICAS: Record<Env, number> = { dev: 1, staging: 2, prod: 3 };

export type Tree = Record<string, string>;

/** Writes a bundle's files under `root`. */
export function writeTree(root: string, files: Tree): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}
export interface BenchBundle {
  name: string;
  kind: 'raw' | 'kustomize' | 'helm';
  files: Tree;
}

function deployment(name: string, replicas: number | string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: app
          image: nginx:1.27
          ports: [{ containerPort: 80 }]
`;
}

function service(name: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${name} }
  ports: [{ port: 80 }]
`;
}

/** Raw YAML: per-environment replicas through yaml.overlays (a JSON patch each). */
function raw(name: string): Tree {
  const files: Tree = {
    'fleet.yaml': `defaultNamespace: ${name}
targetCustomizations:
${ENVS.filter((e) => e !== 'dev').map((e) => `  - name: ${e}\n    clusterSelector: { matchLabels: { env: ${e} } }\n    yaml: { overlays: [${e}] }`).join('\n')}
`,
    'deployment.yaml': deployment(name, REPLICAS.dev),
    'service.yaml': service(name),
  };
  for (const e of ENVS.filter((x) => x !== 'dev')) {
    files[`overlays/${e}/deployment_patch.yaml`] = `- op: replace\n  path: /spec/replicas\n  value: ${REPLICAS[e]}\n`;
  }
  return files;
}

/** Kustomize: a base and one overlay per environment, chosen by kustomize.dir. */
function kustomize(name: string): Tree {
  const files: Tree = {
    'fleet.yaml': `defaultNamespace: ${name}
kustomize: { dir: envs/dev }
targetCustomizations:
${ENVS.map((e) => `  - name: ${e}\n    clusterSelector: { matchLabels: { env: ${e} } }\n    kustomize: { dir: envs/${e} }`).join('\n')}
`,
    'base/kustomization.yaml': 'resources: [deployment.yaml, service.yaml]\n',
    'base/deployment.yaml': deployment(name, 1),
    'base/service.yaml': service(name),
  };
  for (const e of ENVS) {
    files[`envs/${e}/kustomization.yaml`] = `resources: [../../base]
labels:
  - pairs: { env: ${e} }
replicas:
  - name: ${name}
    count: ${REPLICAS[e]}
`;
  }
  return files;
}

/** Helm: a local chart; replicas per environment and the environment label templated into a value. */
function helm(name: string): Tree {
  return {
    'fleet.yaml': `defaultNamespace: ${name}
helm:
  releaseName: ${name}
  values:
    env: "\${ .ClusterLabels.env }"
targetCustomizations:
${ENVS.map((e) => `  - name: ${e}\n    clusterSelector: { matchLabels: { env: ${e} } }\n    helm: { values: { replicas: ${REPLICAS[e]} } }`).join('\n')}
`,
    'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
    'values.yaml': 'replicas: 1\nenv: none\n',
    'templates/deployment.yaml': deployment('{{ .Release.Name }}', '{{ .Values.replicas }}'),
    'templates/service.yaml': service('{{ .Release.Name }}'),
    'templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-env\ndata:\n  env: {{ .Values.env | quote }}\n',
  };
}

/** `raw + kustomize + helm` bundles named `r-001`, `k-001`, `h-001`, … */
export function benchTree(counts: { raw: number; kustomize: number; helm: number }): BenchBundle[] {
  const pad = (i: number) => String(i + 1).padStart(3, '0');
  return [
    ...Array.from({ length: counts.raw }, (_, i) => ({ name: `r-${pad(i)}`, kind: 'raw' as const, files: raw(`r-${pad(i)}`) })),
    ...Array.from({ length: counts.kustomize }, (_, i) => ({ name: `k-${pad(i)}`, kind: 'kustomize' as const, files: kustomize(`k-${pad(i)}`) })),
    ...Array.from({ length: counts.helm }, (_, i) => ({ name: `h-${pad(i)}`, kind: 'helm' as const, files: helm(`h-${pad(i)}`) })),
  ];
}

/** Per-environment values file of a Helm bundle, for the shell-loop baseline (what fleet.yaml resolves to). */
export function helmValues(env: Env): string {
  return `replicas: ${REPLICAS[env]}\nenv: ${env}\n`;
}
