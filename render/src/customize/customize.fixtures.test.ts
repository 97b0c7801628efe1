import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FleetYaml } from '../fleet-yaml/fleet-yaml.types.js';
import { isRenderError } from '../render.error.js';
import type { ClusterContext } from './cluster-context.types.js';
import { customizeForCluster } from './customize-for-cluster.js';

// One folder per case: fleet.yaml + cluster.yaml, and expected.yaml ({matched, options} or
// {deploy: false, matched}) or expected-error.txt (reason, field, message fragment: one a line).
const root = join(import.meta.dirname, '../../fixtures/customize');
const read = (dir: string, file: string): unknown => parse(readFileSync(join(dir, file), 'utf8'));

describe('customizeForCluster fixtures', () => {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    it(name, () => {
      const fleetYaml = read(dir, 'fleet.yaml') as FleetYaml;
      const cluster = read(dir, 'cluster.yaml') as ClusterContext;
      const run = (): ReturnType<typeof customizeForCluster> => customizeForCluster(fleetYaml, cluster, { file: 'fleet.yaml' });
      if (existsSync(join(dir, 'expected-error.txt'))) {
        const [reason, field, fragment] = readFileSync(join(dir, 'expected-error.txt'), 'utf8').trim().split('\n');
        let error: unknown;
        try {
          run();
        } catch (e) {
          error = e;
        }
        expect(isRenderError(error), `expected a RenderError, got ${String(error)}`).toBe(true);
        if (!isRenderError(error)) return;
        expect(error.reason).toBe(reason);
        expect(error.location).toEqual({ file: 'fleet.yaml', field });
        expect(error.message).toContain(fragment);
        return;
      }
      const expected = read(dir, 'expected.yaml') as Record<string, unknown>;
      const result = run();
      if (expected.deploy === false) {
        expect(result.deploy).toBe(false);
        expect(result.matched).toEqual(expected.matched);
        return;
      }
      expect(result.deploy).toBe(true);
      if (!result.deploy) return;
      expect(result.matched).toEqual(expected.matched);
      expect(result.options).toEqual(expected.options);
    });
  }
});
