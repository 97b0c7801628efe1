import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors/domain-error.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { ManifestParserPool, withoutConditions } from './manifest-parser.pool.js';

const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`;
const manifests = (n: number) => Array.from({ length: n }, (_, i) => doc(i)).join('---\n');

const pools: ManifestParserPool[] = [];
function pool(manifestParser: { threads?: number; queue?: number; timeoutSeconds?: number; inlineBelow?: number }): ManifestParserPool {
  const created = new ManifestParserPool({ manifestParser: { threads: 1, queue: 0, timeoutSeconds: 60, inlineBelow: 0, ...manifestParser } }, new HubMetrics());
  pools.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.onModuleDestroy()));
});

// Real worker threads running the worker module (its TypeScript source here, hub/dist in production).
describe('ManifestParserPool', () => {
  it('parses on a worker thread and inline alike', async () => {
    expect((await pool({}).parse(manifests(3))).map((o) => o.metadata.name)).toEqual(['c0', 'c1', 'c2']);
    expect((await pool({ inlineBelow: 1_000_000 }).parse(manifests(3))).map((o) => o.metadata.name)).toEqual(['c0', 'c1', 'c2']);
  });

  it('turns a refusal from the worker into InvalidManifest naming the field', async () => {
    const error = await failure(pool({}).parse(`${doc(0)}---\n${doc(0)}`));
    expect(error.reason).toBe('InvalidManifest');
    expect(error.field).toBe('manifests');
    expect(error.message).toBe('manifests document 2 (line 5): /ConfigMap /c0 is already in document 1 (line 1)');
  });

  it('refuses a parse beyond threads + queue with ParserBusy, and takes work again afterwards', async () => {
    const busy = pool({ threads: 1, queue: 1 });
    const big = manifests(5_000);
    const running = [busy.parse(big), busy.parse(big)];
    const error = await failure(busy.parse(big));
    expect(error.reason).toBe('ParserBusy');
    expect(error.category).toBe('Unavailable');
    expect((await Promise.all(running)).map((objects) => objects.length)).toEqual([5_000, 5_000]);
    expect(await busy.parse(doc(1))).toHaveLength(1);
  });

  it('stops a parse past the timeout with ParserBusy', async () => {
    const slow = pool({ timeoutSeconds: 0.001 });
    const error = await failure(slow.parse(manifests(5_000)));
    expect(error.reason).toBe('ParserBusy');
    expect(error.message).toContain('did not finish within 0.001 s');
  });
});

describe('withoutConditions', () => {
  it('drops --conditions flags in both spellings and keeps the rest', () => {
    expect(withoutConditions(['--require', 'x.cjs', '--conditions', '@flotilla/source', '--conditions=module', '-C', 'node', '--max-old-space-size=512'])).toEqual(['--require', 'x.cjs', '--max-old-space-size=512']);
  });
});
