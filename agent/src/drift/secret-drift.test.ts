import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { detectDrift } from './drift-detector.js';
import type { DryRunApplier } from './drift.types.js';

/** Issue #9: drift of a Secret says which key differs, never its value (in clear or base64). */
const PASSWORD = 'hunter2-desired';
const EDITED = 'typed-by-hand';
const TOKEN = 'string-data-token';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const desired = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'shop' },
  data: { password: b64(PASSWORD) },
  stringData: { token: TOKEN },
} as KubernetesObject;

/** What the API server makes of a Secret: stringData merged into data (base64), plus server-owned metadata. */
function server(data: Record<string, string>): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: 'db', namespace: 'shop', uid: 'u-1', resourceVersion: '5', managedFields: [] },
    data,
  } as KubernetesObject;
}

const api = (result: KubernetesObject): DryRunApplier => ({ dryRunApply: async () => result });
const applied = server({ password: b64(PASSWORD), token: b64(TOKEN) });
const KEY = Buffer.alloc(32, 7);

function expectNoValues(result: unknown): void {
  const text = JSON.stringify(result);
  for (const value of [PASSWORD, EDITED, TOKEN]) {
    expect(text).not.toContain(value);
    expect(text).not.toContain(b64(value));
  }
}

describe('detectDrift on a Secret', () => {
  it('reports edited data and stringData keys by path, with markers instead of values', async () => {
    const live = server({ password: b64(EDITED), token: b64(`${TOKEN}-2`) });
    const result = await detectDrift(api(applied), desired, live, [], { redactionKey: KEY });
    expect(result.drifted).toBe(true);
    expect(result.diffs.map((d) => d.path)).toEqual(['/data/password', '/data/token']);
    for (const d of result.diffs) {
      expect(JSON.parse(d.desired)).toMatch(/^<redacted:[0-9a-f]{8}>$/);
      expect(JSON.parse(d.live)).toMatch(/^<redacted:[0-9a-f]{8}>$/);
      expect(d.desired).not.toBe(d.live);
    }
    expectNoValues(result);
  });

  it('gives the same value the same marker, so "changed again" is visible', async () => {
    const once = await detectDrift(api(applied), desired, server({ password: b64(EDITED), token: b64(TOKEN) }), [], { redactionKey: KEY });
    const again = await detectDrift(api(applied), desired, server({ password: b64(EDITED), token: b64(TOKEN) }), [], { redactionKey: KEY });
    const other = await detectDrift(api(applied), desired, server({ password: b64(`${EDITED}!`), token: b64(TOKEN) }), [], { redactionKey: KEY });
    expect(again.diffs).toEqual(once.diffs);
    expect(other.diffs[0]!.live).not.toBe(once.diffs[0]!.live);
    expect(other.diffs[0]!.desired).toBe(once.diffs[0]!.desired);
    // Another agent (another key) gives other markers: they mean nothing outside this agent.
    const elsewhere = await detectDrift(api(applied), desired, server({ password: b64(EDITED), token: b64(TOKEN) }), [], { redactionKey: Buffer.alloc(32, 8) });
    expect(elsewhere.diffs[0]!.live).not.toBe(once.diffs[0]!.live);
  });

  it('reports a deleted Secret as missing, without the desired body', async () => {
    const result = await detectDrift(api(applied), desired, undefined, []);
    expect(result.drifted).toBe(true);
    expect(result.diffs).toHaveLength(1);
    expect(result.diffs[0]).toMatchObject({ path: '', live: '' });
    expect(JSON.parse(result.diffs[0]!.desired)).toMatch(/^<redacted:[0-9a-f]{8}>$/);
    expectNoValues(result);
  });

  it('still reports other fields of a Secret in clear', async () => {
    const live = { ...applied, type: 'kubernetes.io/tls' } as KubernetesObject;
    expect((await detectDrift(api(applied), desired, live, [])).diffs).toEqual([{ path: '/type', desired: '"Opaque"', live: '"kubernetes.io/tls"' }]);
  });
});
