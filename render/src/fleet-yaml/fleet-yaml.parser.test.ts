import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RenderError } from '../render.error.js';
import { MAX_FLEET_YAML_BYTES, parseFleetYaml } from './fleet-yaml.parser.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/fleet-yaml');

interface Expected {
  fleetYaml?: unknown;
  warnings?: { line: number; field: string }[];
  error?: { reason: string; line?: number; field?: string; message?: string };
}

describe('parseFleetYaml fixtures', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(name, () => {
      const text = readFileSync(join(FIXTURES, name, 'fleet.yaml'), 'utf8');
      const expected = JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected;
      const file = `${name}/fleet.yaml`;
      if (expected.error) {
        const error = catchError(() => parseFleetYaml(text, file));
        expect(error.reason).toBe(expected.error.reason);
        expect(error.location.file).toBe(file);
        if (expected.error.line !== undefined) expect(error.location.line).toBe(expected.error.line);
        if (expected.error.field !== undefined) expect(error.location.field).toBe(expected.error.field);
        if (expected.error.message !== undefined) expect(error.message).toContain(expected.error.message);
        return;
      }
      const { fleetYaml, warnings } = parseFleetYaml(text, file);
      expect(JSON.parse(JSON.stringify(fleetYaml))).toEqual(expected.fleetYaml);
      expect(warnings.map((w) => ({ line: w.location.line, field: w.location.field }))).toEqual(expected.warnings);
      for (const w of warnings) expect(w.location.file).toBe(file);
    });
  }
});

describe('parseFleetYaml bounds', () => {
  it('an empty file is an empty fleet.yaml', () => {
    expect(parseFleetYaml('', 'fleet.yaml')).toEqual({ fleetYaml: {}, warnings: [] });
  });
  it('refuses a fleet.yaml over 1 MiB', () => {
    const text = `name: x\n#${'a'.repeat(MAX_FLEET_YAML_BYTES)}\n`;
    expect(catchError(() => parseFleetYaml(text, 'fleet.yaml')).reason).toBe('OutputTooLarge');
  });
  it('a top-level scalar is a wrong type at line 1', () => {
    const error = catchError(() => parseFleetYaml('just a string\n', 'f.yaml'));
    expect([error.reason, error.location.line]).toEqual(['InvalidFleetYaml', 1]);
  });
});

function catchError(fn: () => unknown): RenderError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RenderError) return error;
    throw error;
  }
  throw new Error('expected a RenderError');
}
