/**
 * What the thread hop costs against parsing on the event loop, by input size
 * (to choose FLOTILLA_MANIFEST_PARSE_INLINE_BELOW). Needs a built hub:
 *   node bench/manifest-parse/inline-threshold.ts
 */
import { DEFAULT_MANIFEST_LIMITS, parseManifests } from '@flotilla/core';
import { Piscina } from 'piscina';
import { repoPath } from '../../test/support/paths.ts';

const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  namespace: bench\ndata:\n  a: "${'v'.repeat(40)}"\n  b: "${'w'.repeat(40)}"\n`;
const pool = new Piscina({ filename: repoPath('hub/dist/bundles/manifest-parser.worker.js'), minThreads: 1, maxThreads: 1 });
const limits = { ...DEFAULT_MANIFEST_LIMITS };
await pool.run({ text: doc(0), source: 'manifests', limits });
const reps = 20;
for (const kib of [1, 16, 64, 256, 1024]) {
  const n = Math.max(1, Math.round((kib * 1024) / doc(0).length));
  const text = Array.from({ length: n }, (_, i) => doc(i)).join('---\n');
  let started = performance.now();
  for (let r = 0; r < reps; r++) parseManifests(text);
  const inline = (performance.now() - started) / reps;
  started = performance.now();
  for (let r = 0; r < reps; r++) await pool.run({ text, source: 'manifests', limits });
  const pooled = (performance.now() - started) / reps;
  process.stdout.write(`| ${kib} KiB | ${n} | ${inline.toFixed(2)} | ${pooled.toFixed(2)} | ${(pooled - inline).toFixed(2)} |\n`);
}
await pool.destroy();
