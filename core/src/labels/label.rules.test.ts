import { describe, expect, it } from 'vitest';
import { isDnsLabel, isDnsSubdomain } from './dns-name.rules.js';
import { labelKeyProblem, labelsProblem, labelValueProblem } from './label.rules.js';

describe('DNS names', () => {
  it.each([
    ['web', true],
    ['a', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['-web', false],
    ['web-', false],
    ['Web', false],
    ['we.b', false],
    ['', false],
  ])('isDnsLabel(%j) is %s', (name, expected) => {
    expect(isDnsLabel(name)).toBe(expected);
  });

  it('accepts dotted subdomains up to 253 characters', () => {
    expect(isDnsSubdomain('example.com')).toBe(true);
    expect(isDnsSubdomain('')).toBe(false);
    expect(isDnsSubdomain('Example.com')).toBe(false);
    expect(isDnsSubdomain(`${'a'.repeat(63)}.`.repeat(4).slice(0, 254))).toBe(false);
  });
});

describe('label rules', () => {
  it.each(['env', 'example.com/env', 'a_b.c-d', 'x'.repeat(63)])('accepts key %j', (key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
  });

  it.each([
    ['Bad/env', 'invalid prefix'],
    ['/env', 'invalid prefix'],
    ['example.com/', 'the name must be'],
    ['-env', 'the name must be'],
    ['x'.repeat(64), 'the name must be'],
  ])('rejects key %j', (key, message) => {
    expect(labelKeyProblem(key)).toContain(message);
  });

  it('accepts the empty value and rejects bad ones', () => {
    expect(labelValueProblem('')).toBeUndefined();
    expect(labelValueProblem('prod')).toBeUndefined();
    expect(labelValueProblem('-prod')).toContain('is invalid');
    expect(labelValueProblem('v'.repeat(64))).toContain('is invalid');
  });

  it('names the first bad label', () => {
    expect(labelsProblem({ env: 'prod', 'Bad/x': 'y' })).toMatchObject({ key: 'Bad/x' });
    expect(labelsProblem({ env: 'prod' })).toBeUndefined();
  });
});
