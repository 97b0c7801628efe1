import { DeploymentState } from '@flotilla/proto';
import { describe, expect, it } from 'vitest';
import { REPORT_LIMITS } from './report.limits.js';
import { storedReport } from './stored-report.js';

const report = {
  deploymentId: 'd1',
  appliedRevision: 'r1',
  state: DeploymentState.DEPLOYMENT_STATE_READY,
  reason: '',
  message: '',
  resources: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'b', state: DeploymentState.DEPLOYMENT_STATE_READY, message: '', diffs: [] }],
};

describe('storedReport', () => {
  it('gives an unchanged report the same hash', () => {
    expect(storedReport('r1', report).hash).toBe(storedReport('r1', { ...report, resources: [...report.resources] }).hash);
  });
  it('changes the hash when anything stored changes', () => {
    const base = storedReport('r1', report).hash;
    expect(storedReport('r1', { ...report, message: 'x' }).hash).not.toBe(base);
    expect(storedReport('r1', { ...report, state: DeploymentState.DEPLOYMENT_STATE_NOT_READY }).hash).not.toBe(base);
    expect(storedReport('r1', { ...report, resources: [{ ...report.resources[0]!, message: 'drift' }] }).hash).not.toBe(base);
    // Same report, but the desired revision moved on: stored as WaitApplied, so it is a change.
    const waiting = storedReport('r2', report);
    expect(waiting.state).toBe('WaitApplied');
    expect(waiting.hash).not.toBe(base);
  });
});

describe('storedReport of a Secret (issue #9: values never stored)', () => {
  const b64 = (s: string) => JSON.stringify(Buffer.from(s).toString('base64'));
  const secret = (diffs: { path: string; desired: string; live: string }[]) => ({
    ...report,
    resources: [{ ...report.resources[0]!, kind: 'Secret', name: 'db', state: DeploymentState.DEPLOYMENT_STATE_MODIFIED, diffs }],
  });
  const storedDiffs = (r: ReturnType<typeof storedReport>) => (JSON.parse(r.resources) as { diffs: unknown[] }[])[0]!.diffs;

  it("redacts values an old or malicious agent sent in clear, keeping the paths and the agent's own markers", () => {
    const stored = storedReport(
      'r1',
      secret([
        { path: '', desired: JSON.stringify({ kind: 'Secret', data: { k: 'aHVudGVyMg==' } }), live: '' },
        { path: '/data/password', desired: b64('hunter2'), live: '"<redacted:0a1b2c3d>"' },
        { path: '/stringData/token', desired: '"plain-token"', live: '' },
      ]),
    );
    expect(stored.resources).not.toContain('hunter2');
    expect(stored.resources).not.toContain('aHVudGVyMg');
    expect(stored.resources).not.toContain('plain-token');
    expect(storedDiffs(stored)).toEqual([
      { path: '', desired: '"<redacted>"', live: '' },
      { path: '/data/password', desired: '"<redacted>"', live: '"<redacted:0a1b2c3d>"' },
      { path: '/stringData/token', desired: '"<redacted>"', live: '' },
    ]);
  });

  it('stores diffs of other kinds as reported', () => {
    const diffs = [{ path: '/data/key', desired: '"applied"', live: '"edited"' }];
    expect(storedDiffs(storedReport('r1', { ...report, resources: [{ ...report.resources[0]!, diffs }] }))).toEqual(diffs);
  });
});

describe('storedReport of oversized text', () => {
  it('truncates messages and diff values to their limits with a marker, keeping diff values JSON', () => {
    const long = 'x'.repeat(REPORT_LIMITS.message * 3);
    const value = JSON.stringify({ config: 'y"'.repeat(REPORT_LIMITS.diffValue) });
    const stored = storedReport('r1', {
      ...report,
      message: long,
      resources: [{ ...report.resources[0]!, message: long, diffs: [{ path: '/data/config', desired: value, live: '"short"' }] }],
    });
    expect(stored.message).toHaveLength(REPORT_LIMITS.message);
    expect(stored.message.endsWith('… (truncated)')).toBe(true);
    const [res] = JSON.parse(stored.resources) as { message: string; diffs: { desired: string; live: string }[] }[];
    expect(res!.message).toHaveLength(REPORT_LIMITS.resourceMessage);
    expect(res!.diffs[0]!.desired.length).toBeLessThanOrEqual(REPORT_LIMITS.diffValue);
    expect(JSON.parse(res!.diffs[0]!.desired)).toMatch(/^\{"config":"y\\"y.*… \(truncated, \d+ characters\)$/);
    expect(res!.diffs[0]!.live).toBe('"short"');
  });
});
