/**
 * Agent memory benchmark: RSS of one real agent process (`agent/dist/main.js`)
 * idling with B bundles of N objects each applied (default 10 × 50 = 500
 * objects), against a real hub and a real workloads cluster.
 *
 *   node bench/agent-memory/run.ts [--bundles 10] [--objects 50] [--settle 30] [--window 60]
 *                                  [--node-options "--jitless --max-semi-space-size=1"]... [--agent-env K=V]... [--heap-snapshot]
 *                                  [--results FILE|-]
 *
 * Rows: the agent run with the chart's Node flags (`nodeOptions` in
 * charts/agent/values.yaml), then one row per --node-options, run with exactly
 * those flags instead ("" = none). Each row gets a fresh hub,
 * database and cluster. The agent registers, receives the bundles, applies
 * them; once the hub reports every bundle Ready the benchmark waits --settle
 * seconds, then samples /proc/<pid>/status every second for --window seconds:
 * VmRSS (what `ps`/`top` show), RssAnon (the process's own memory) and RssFile
 * (mapped files, mostly the node binary's pages, shared and reclaimable), and
 * VmHWM (the peak, reached while applying). Output: a Markdown table, written
 * to bench/agent-memory/RESULTS.md by default.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startCluster } from '../../test/clusters/index.ts';
import { agentProcess, CHART_NODE_OPTIONS } from '../../test/agent/agent-process.ts';
import { eventually } from '../../test/support/eventually.ts';
import { startHub } from '../../test/support/hub.ts';
import { repoPath } from '../../test/support/paths.ts';

interface Options {
  bundles: number;
  objects: number;
  settle: number;
  window: number;
  /** Node flags per row; undefined = the chart's. */
  nodeOptions: (string | undefined)[];
  /** Extra environment of the agent process in every row (e.g. MALLOC_ARENA_MAX=2). */
  agentEnv: Record<string, string>;
  /** Write a V8 heap snapshot of the agent at the end of each window (into the current directory). */
  heapSnapshot: boolean;
  results: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { bundles: 10, objects: 50, settle: 30, window: 60, nodeOptions: [undefined], agentEnv: {}, heapSnapshot: false, results: repoPath('bench/agent-memory/RESULTS.md') };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1] ?? '';
    switch (argv[i]) {
      case '--bundles': options.bundles = Number(value); i++; break;
      case '--objects': options.objects = Number(value); i++; break;
      case '--settle': options.settle = Number(value); i++; break;
      case '--window': options.window = Number(value); i++; break;
      case '--node-options': options.nodeOptions.push(value); i++; break;
      case '--results': options.results = value; i++; break;
      case '--heap-snapshot': options.heapSnapshot = true; break;
      case '--agent-env': {
        const eq = value.indexOf('=');
        if (eq <= 0) throw new Error(`--agent-env wants K=V, got "${value}"`);
        options.agentEnv[value.slice(0, eq)] = value.slice(eq + 1);
        i++;
        break;
      }
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (options.objects < 8) throw new Error('--objects must be at least 8');
  return options;
}

/** One bundle: Namespace, ServiceAccount, Role, RoleBinding, 2 Deployments, 2 Services, then ConfigMaps and Secrets. */
function bundleObjects(ns: string, count: number): unknown[] {
  const meta = (name: string) => ({ name, namespace: ns, labels: { app: name } });
  const objects: unknown[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('app') },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('app'), rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('app'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app' },
      subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: ns }],
    },
  ];
  for (const name of ['web', 'api']) {
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(name),
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { serviceAccountName: 'app', containers: [{ name, image: `registry.example/${name}:1`, ports: [{ containerPort: 8080 }], env: [{ name: 'MODE', value: 'bench' }] }] },
        },
      },
    });
    objects.push({ apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } });
  }
  for (let i = 0; objects.length < count; i++) {
    const data = { 'config.yaml': `# object ${i}\n${'key: value\n'.repeat(20)}` };
    objects.push(
      i % 2 === 0
        ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`config-${i}`), data }
        : { apiVersion: 'v1', kind: 'Secret', metadata: meta(`secret-${i}`), stringData: data },
    );
  }
  return objects;
}

interface Sample {
  vmRss: number;
  rssAnon: number;
  rssFile: number;
  vmHwm: number;
}

function sample(pid: number): Sample {
  const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { vmRss: kib('VmRSS'), rssAnon: kib('RssAnon'), rssFile: kib('RssFile'), vmHwm: kib('VmHWM') };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mib = (kib: number) => (kib / 1024).toFixed(1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runRow(options: Options, flags: string | undefined) {
  const nodeOptions = flags === undefined ? CHART_NODE_OPTIONS : flags.split(/\s+/).filter(Boolean);
  const [hub, cluster] = await Promise.all([startHub(), startCluster({ workloads: true })]);
  const agentNs = 'flotilla-system';
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: agentNs } } });
  const token = (await hub.api('POST', '/api/v1/registration-tokens', { maxUses: 1 })).body.token as string;
  const agent = agentProcess({
    hubAddress: hub.grpcAddress,
    caFile: hub.tls!.caFile,
    token,
    kubeconfigPath: cluster.kubeconfigPath,
    clusterName: 'bench',
    labels: { bench: 'memory' },
    namespace: agentNs,
    nodeOptions: [...nodeOptions, ...(options.heapSnapshot ? ['--heapsnapshot-signal=SIGUSR2'] : [])],
    env: { FLOTILLA_LOG_LEVEL: 'info', FLOTILLA_REPORT_INTERVAL_SECONDS: '60', FLOTILLA_RECONNECT_MAX_SECONDS: '60', ...options.agentEnv },
  });
  try {
    agent.start();
    const started = Date.now();
    for (let b = 0; b < options.bundles; b++) {
      const res = await hub.api('PUT', `/api/v1/bundles/bench-${b}`, {
        resources: bundleObjects(`bench-${b}`, options.objects),
        targets: [{ clusterSelector: { matchLabels: { bench: 'memory' } } }],
      });
      if (res.status >= 300) throw new Error(`PUT bundle: ${res.status} ${JSON.stringify(res.body)}`);
    }
    await eventually(
      async () => {
        for (let b = 0; b < options.bundles; b++) {
          const status = (await hub.api('GET', `/api/v1/bundles/bench-${b}/status`)).body;
          if (status.items?.[0]?.state !== 'Ready') throw new Error(`bench-${b}: ${JSON.stringify(status.items?.[0] ?? status)}`);
        }
      },
      { timeoutMs: 600_000, intervalMs: 1000, description: 'all bundles Ready' },
    );
    const readySeconds = (Date.now() - started) / 1000;
    await sleep(options.settle * 1000);
    const samples: Sample[] = [];
    for (let i = 0; i < options.window; i++) {
      samples.push(sample(agent.pid()!));
      await sleep(1000);
    }
    if (options.heapSnapshot) {
      process.kill(agent.pid()!, 'SIGUSR2');
      await sleep(15_000); // Heap.<date>.<pid>.heapsnapshot appears in the current directory
    }
    const logs = agent.logs();
    return {
      label: `${flags === undefined ? 'chart default: ' : ''}\`node ${[...nodeOptions, 'main.js'].join(' ')}\``,
      readySeconds,
      vmRss: median(samples.map((s) => s.vmRss)),
      vmRssMax: Math.max(...samples.map((s) => s.vmRss)),
      rssAnon: median(samples.map((s) => s.rssAnon)),
      rssFile: median(samples.map((s) => s.rssFile)),
      vmHwm: samples.at(-1)!.vmHwm,
      errors: (logs.match(/"level":"error"/g) ?? []).length,
    };
  } finally {
    await agent.stop();
    await cluster.stop();
    await hub.dispose();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const rows = [];
  for (const nodeOptions of options.nodeOptions) {
    process.stderr.write(`row: ${nodeOptions === undefined ? 'chart default flags' : `flags "${nodeOptions}"`}\n`);
    const row = await runRow(options, nodeOptions);
    process.stderr.write(`  VmRSS ${mib(row.vmRss)} MiB (RssAnon ${mib(row.rssAnon)}, RssFile ${mib(row.rssFile)}), all Ready after ${row.readySeconds.toFixed(1)} s\n`);
    rows.push(row);
  }
  const objects = options.bundles * options.objects;
  const command = `node bench/agent-memory/run.ts ${process.argv.slice(2).map((a) => (a.includes(' ') || a === '' ? JSON.stringify(a) : a)).join(' ')}`.trim();
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd: repoPath('.') }).trim();
  const lines = [
    '# Agent memory: results of the last run',
    '',
    `- command: \`${command}\``,
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`,
    `- agent: \`agent/dist/main.js\` at ${commit} (+ working tree), ${options.bundles} bundles × ${options.objects} objects = ${objects} objects (Namespace, ServiceAccount, Role, RoleBinding, 2 Deployments, 2 Services, ConfigMaps, Secrets per bundle) on a workloads test cluster`,
    `- agent environment: ${Object.keys(options.agentEnv).length ? Object.entries(options.agentEnv).map(([k, v]) => `\`${k}=${v}\``).join(', ') : 'defaults'}; statuses re-sent every 60 s`,
    `- method: every bundle Ready on the hub, then ${options.settle} s settle, then a ${options.window} s window sampling /proc/<pid>/status every second (median); VmHWM = peak of the whole run`,
    '',
    '| agent command | objects | all Ready after (s) | VmRSS median (MiB) | VmRSS max (MiB) | RssAnon median (MiB) | RssFile median (MiB) | peak VmHWM (MiB) | errors logged | goal VmRSS ≤ 64 MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${objects} | ${r.readySeconds.toFixed(1)} | ${mib(r.vmRss)} | ${mib(r.vmRssMax)} | ${mib(r.rssAnon)} | ${mib(r.rssFile)} | ${mib(r.vmHwm)} | ${r.errors} | ${r.vmRss <= 64 * 1024 ? 'met' : '**not met**'} |`,
    ),
    '',
  ];
  const output = lines.join('\n');
  if (options.results === '-') process.stdout.write(output);
  else {
    writeFileSync(options.results, output);
    process.stdout.write(output);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
