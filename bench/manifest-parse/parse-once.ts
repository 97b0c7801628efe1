/**
 * One parse in a process of its own, so that its peak RSS is its own:
 *   node bench/manifest-parse/parse-once.ts <new|old> <configmaps|dashes> <count> [old-module]
 * Prints one JSON line: { ms, maxRssMiB, objects | error }.
 */
import { pathToFileURL } from 'node:url';
import { parseManifests } from '@flotilla/core';
import { configMaps, dashes } from './bodies.ts';

const [parser, body, count, oldModule] = process.argv.slice(2);
const text = body === 'dashes' ? dashes(Number(count)) : configMaps(Number(count));
const parse: (text: string) => unknown[] =
  parser === 'old'
    ? ((await import(pathToFileURL(oldModule!).href)) as { parseManifests: (text: string) => unknown[] }).parseManifests
    : (t) => parseManifests(t, { limits: { maxObjects: 10_000 } });

const started = performance.now();
let outcome: { objects: number } | { error: string };
try {
  outcome = { objects: parse(text).length };
} catch (error) {
  outcome = { error: (error as Error).message.slice(0, 160) };
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), bytes: Buffer.byteLength(text), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), ...outcome })}\n`);
