import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverBundles, type DiscoverOptions } from './discover-bundles.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/discovery');

interface ExpectedBundle {
  name: string;
  path: string;
  fleetYamlFile?: string;
  fleetYaml?: unknown;
  files: string[];
}

/** Each case: `repo/` scanned with `options`; `expected.json` lists the bundles Fleet's rules give, in order. */
describe('discoverBundles fixtures', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(name, async () => {
      const expected = JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as {
        options: DiscoverOptions;
        bundles: ExpectedBundle[];
      };
      const { bundles } = await discoverBundles(join(FIXTURES, name, 'repo'), expected.options);
      const actual = bundles.map((b, i) => ({
        name: b.name,
        path: b.path,
        ...('fleetYamlFile' in (expected.bundles[i] ?? {}) ? { fleetYamlFile: b.fleetYamlFile } : {}),
        ...('fleetYaml' in (expected.bundles[i] ?? {}) ? { fleetYaml: JSON.parse(JSON.stringify(b.fleetYaml)) } : {}),
        files: b.files.map((f) => f.path),
      }));
      expect(actual).toEqual(expected.bundles);
      for (const b of bundles) expect(b.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    });
  }
});
