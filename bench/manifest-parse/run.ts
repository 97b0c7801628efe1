/**
 * Manifest parsing benchmark (issue #9).
 *
 *   sh bench/manifest-parse/run.sh [--docs 10000] [--out bench/manifest-parse/RESULTS.md]
 *
 * 1. Parser alone, one process per run (peak RSS is the run's own): a body of
 *    `--docs` ConfigMaps (~500 bytes each) and 48 MB of `'---\n'`, with the
 *    @flotilla/core parser and, when run.sh extracted it, the old hub parser
 *    (parseAllDocuments + a line rescan per document) from `--old-commit`.
 * 2. A real hub (test/support/hub.ts): /healthz latency, sampled back to back,
 *    while a PUT of the same body is in flight — with the parser threads
 *    (default settings) and with every parse on the event loop
 *    (FLOTILLA_MANIFEST_PARSE_INLINE_BELOW huge), and the 48 MB body's answer.
 * 3. The thread hop against parsing inline, by size (inline-threshold.ts).
 * 4. With --crd-dir, the nesting depth of the real CRDs found there (crd-depth.ts).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHub, type TestHub } from '../../test/support/hub.ts';
import { repoPath } from '../../test/support/paths.ts';
import { findHubPid, procStatus } from '../support/proc.ts';
import { configMaps, dashes } from './bodies.ts';

const { values: opts } = parseArgs({
  options: {
    docs: { type: 'string', default: '10000' },
    out: { type: 'string', default: 'bench/manifest-parse/RESULTS.md' },
    'old-module': { type: 'string', default: '' },
    'old-commit': { type: 'string', default: '' },
    'old-timeout-s': { type: 'string', default: '600' },
    'crd-dir': { type: 'string', default: '' },
  },
});
const DOCS = Number(opts.docs);
const DASHES = 12_000_000;
const log = (line: string) => process.stderr.write(`manifest-parse: ${line}\n`);

interface ParseRun {
  ms?: number;
  bytes?: number;
  maxRssMiB?: number;
  objects?: number;
  error?: string;
}

function parseOnce(parser: 'new' | 'old', body: 'configmaps' | 'dashes', count: number): ParseRun {
  log(`parse ${parser} ${body} ${count}`);
  const args = [repoPath('bench/manifest-parse/parse-once.ts'), parser, body, String(count), ...(parser === 'old' ? [opts['old-module']!] : [])];
  const run = spawnSync(process.execPath, ['--max-old-space-size=4096', ...args], { encoding: 'utf8', timeout: Number(opts['old-timeout-s']) * 1000 });
  if (run.error || run.status !== 0) {
    const why = run.signal === 'SIGTERM' ? `killed after ${opts['old-timeout-s']} s` : `exit ${run.status ?? run.signal}: ${(run.stderr || '').split('\n').find((l) => /error|heap/i.test(l)) ?? ''}`;
    return { error: why.slice(0, 160) };
  }
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as ParseRun;
}

interface HubRun {
  status: number;
  putMs: number;
  answer: string;
  samples: number;
  p50Ms: number;
  maxMs: number;
  idleMaxMs: number;
  peakRssMiB: number;
}

async function healthz(hub: TestHub): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${hub.httpUrl}/healthz`);
  await res.text();
  return performance.now() - started;
}

/** /healthz latencies, back to back, while the PUT of `manifests` is in flight; the hub's peak RSS meanwhile. */
async function underLoad(hub: TestHub, name: string, manifests: string): Promise<HubRun> {
  const pid = findHubPid();
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) idle.push(await healthz(hub));
  let done = false;
  let peak = procStatus(pid).VmRSS ?? 0;
  const started = performance.now();
  const put = hub.api('PUT', `/api/v1/bundles/${name}`, { manifests, targets: [] }).finally(() => (done = true));
  const samples: number[] = [];
  while (!done) {
    samples.push(await healthz(hub));
    peak = Math.max(peak, procStatus(pid).VmRSS ?? 0);
  }
  const res = await put;
  const putMs = performance.now() - started;
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    status: res.status,
    putMs: Math.round(putMs),
    answer: res.status >= 400 ? `${res.body?.error}: ${String(res.body?.message).slice(0, 120)}` : `${res.body?.resourceCount} objects`,
    samples: samples.length,
    p50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    maxMs: Math.round(sorted.at(-1) ?? 0),
    idleMaxMs: Math.round(Math.max(...idle)),
    peakRssMiB: Math.round(peak / 1024),
  };
}

async function hubRuns(label: string, env: Record<string, string>): Promise<Record<string, HubRun>> {
  log(`hub: ${label}`);
  const hub = await startHub({ env });
  try {
    return {
      configmaps: await underLoad(hub, 'bench-configmaps', configMaps(DOCS)),
      dashes: await underLoad(hub, 'bench-dashes', dashes(DASHES)),
    };
  } finally {
    await hub.dispose();
  }
}

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
const parses = {
  newConfigmaps: parseOnce('new', 'configmaps', DOCS),
  newDashes: parseOnce('new', 'dashes', DASHES),
  ...(opts['old-module'] ? { oldConfigmaps: parseOnce('old', 'configmaps', DOCS), oldDashes: parseOnce('old', 'dashes', DASHES) } : {}),
};
const inlineTable = spawnSync(process.execPath, [repoPath('bench/manifest-parse/inline-threshold.ts')], { encoding: 'utf8' }).stdout.trim();
const crdFiles = opts['crd-dir']
  ? (readdirSync(opts['crd-dir'], { recursive: true, encoding: 'utf8' }) as string[])
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(opts['crd-dir']!, f))
      .filter((f) => readFileSync(f, 'utf8').includes('kind: CustomResourceDefinition'))
  : [];
const deepestCrd = crdFiles.length ? spawnSync(process.execPath, [repoPath('bench/manifest-parse/crd-depth.ts'), ...crdFiles], { encoding: 'utf8' }).stdout.trim() : '';
const pooled = await hubRuns('parser threads (default settings)', {});
const inline = await hubRuns('every parse on the event loop', { FLOTILLA_MANIFEST_PARSE_INLINE_BELOW: String(1e9) });

const mib = (bytes?: number) => (bytes === undefined ? '' : (bytes / 1024 / 1024).toFixed(1));
const parseRow = (code: string, body: string, r: ParseRun | undefined) =>
  r ? `| ${code} | ${body} | ${mib(r.bytes)} | ${r.ms ?? ''} | ${r.maxRssMiB ?? ''} | ${r.error ? `refused: ${r.error}` : `${r.objects} objects`} |` : '';
const hubRow = (mode: string, body: string, r: HubRun) =>
  `| ${mode} | ${body} | ${r.status} ${r.answer} | ${r.putMs} | ${r.samples} | ${r.p50Ms} | ${r.maxMs} | ${r.idleMaxMs} | ${r.peakRssMiB} |`;
const body = `${DOCS.toLocaleString('en')} ConfigMaps`;
const report = `# manifest-parse — results

Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB; commit ${commit}${opts['old-commit'] ? `, old parser from ${opts['old-commit']}` : ''}.
Command: \`sh bench/manifest-parse/run.sh --docs ${DOCS}${opts['old-commit'] ? ` --old-commit ${opts['old-commit']}` : ''}${opts['crd-dir'] ? ` --crd-dir ${opts['crd-dir']}` : ''}\` (machine shared with other work: times are upper bounds).

## 1. The parser alone (one process per run; peak RSS of that process)

| code | body | MiB | parse (ms) | peak RSS (MiB) | outcome |
|---|---|---:|---:|---:|---|
${[
  parseRow('@flotilla/core parseManifests', body, parses.newConfigmaps),
  parseRow('@flotilla/core parseManifests', "48 MB of '---\\n'", parses.newDashes),
  parseRow('old hub parseManifests', body, (parses as Record<string, ParseRun>).oldConfigmaps),
  parseRow('old hub parseManifests', "48 MB of '---\\n'", (parses as Record<string, ParseRun>).oldDashes),
]
  .filter(Boolean)
  .join('\n')}

## 2. A real hub: /healthz latency while the PUT is in flight

| parsing | body | answer | PUT (ms) | /healthz samples | p50 (ms) | max (ms) | idle max (ms) | hub peak RSS (MiB) |
|---|---|---|---:|---:|---:|---:|---:|---:|
${hubRow('parser threads (default)', body, pooled.configmaps!)}
${hubRow('parser threads (default)', "48 MB of '---\\n'", pooled.dashes!)}
${hubRow('on the event loop (inline)', body, inline.configmaps!)}
${hubRow('on the event loop (inline)', "48 MB of '---\\n'", inline.dashes!)}

The PUT time includes sending the body and express's JSON.parse of it (on the event loop in every mode): with the
parser threads, what remains of /healthz's max latency is that JSON.parse, copying the text to the thread and the
objects back, and serialising and hashing the content (all on the event loop).

## 3. Where small inputs parse (FLOTILLA_MANIFEST_PARSE_INLINE_BELOW)

Mean of 20 parses of ConfigMaps (~170 bytes each), on the calling thread and through one parser thread (\`inline-threshold.ts\`):

| input | documents | inline (ms, event loop blocked) | via the thread (ms) | hop (ms) |
|---|---:|---:|---:|---:|
${inlineTable}

## 4. Depth of real CRDs (ManifestLimits.maxDepth)

${crdFiles.length ? `Deepest object among the ${crdFiles.length} CRD files under \`${opts['crd-dir']}\` (\`crd-depth.ts\`; the object itself is level 1): \`${deepestCrd}\`.` : 'Not measured (no --crd-dir).'}
`;
writeFileSync(opts.out!, report);
process.stdout.write(report);
