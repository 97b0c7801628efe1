import { describe, expect, it } from 'vitest';
import { assessHealth } from './health.registry.js';
import { withoutIgnoredConditions } from './ignored-conditions.js';

const widget = (conditions: Record<string, string>[]) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', generation: 1 }, status: { conditions } });

describe('withoutIgnoredConditions', () => {
  it('leaves out the conditions an ignore rule matches on every field, so they do not count for health', () => {
    const w = widget([{ type: 'Ready', status: 'False', reason: 'BackendDown', message: 'backend down' }]);
    expect(assessHealth(w).status).toBe('Degraded');
    const ignored = withoutIgnoredConditions(w, [{ fields: { type: 'Ready', status: 'False' } }]);
    expect(assessHealth(ignored).status).toBe('Healthy');
    expect(w.status.conditions).toHaveLength(1);
  });

  it('keeps conditions a rule matches only partly, and ignores nothing without rules or fields', () => {
    const w = widget([{ type: 'Ready', status: 'False', reason: 'BackendDown' }]);
    expect(withoutIgnoredConditions(w, [{ fields: { type: 'Ready', status: 'Unknown' } }])).toBe(w);
    expect(withoutIgnoredConditions(w, [{ fields: {} }])).toBe(w);
    expect(withoutIgnoredConditions(w, [])).toBe(w);
    expect(withoutIgnoredConditions({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, [{ fields: { type: 'Ready' } }])).toMatchObject({ kind: 'ConfigMap' });
  });
});
