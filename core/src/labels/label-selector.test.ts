import { describe, expect, it } from 'vitest';
import { matchesSelector } from './label-selector.matcher.js';
import { selectorProblem } from './label-selector.rules.js';
import { parseSelectorString } from './selector-string.parser.js';
import { SelectorSyntaxError } from './selector-syntax.error.js';

const prodEu = { env: 'prod', region: 'eu', gpu: 'true' };

describe('matchesSelector', () => {
  it('matches everything with an empty selector', () => {
    expect(matchesSelector({}, {})).toBe(true);
  });

  it.each([
    [{ matchLabels: { env: 'prod' } }, true],
    [{ matchLabels: { env: 'dev' } }, false],
    [{ matchExpressions: [{ key: 'region', operator: 'In' as const, values: ['us', 'eu'] }] }, true],
    [{ matchExpressions: [{ key: 'region', operator: 'NotIn' as const, values: ['eu'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn' as const, values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' as const }] }, true],
    [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' as const }] }, false],
    [{ matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'zone', operator: 'Exists' as const }] }, false],
  ])('%j → %s', (selector, expected) => {
    expect(matchesSelector(selector, prodEu)).toBe(expected);
  });
});

describe('parseSelectorString', () => {
  it('parses every operator', () => {
    const selector = parseSelectorString('env=prod, tier!=db,region in (eu, us),zone notin (a),gpu,!legacy');
    expect(selector).toEqual({
      matchLabels: { env: 'prod' },
      matchExpressions: [
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'region', operator: 'In', values: ['eu', 'us'] },
        { key: 'zone', operator: 'NotIn', values: ['a'] },
        { key: 'gpu', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(matchesSelector(selector, { env: 'prod', region: 'eu', gpu: '1' })).toBe(true);
    expect(matchesSelector(selector, { env: 'prod', region: 'eu', gpu: '1', legacy: 'x' })).toBe(false);
  });

  it('parses the empty string to a match-all selector', () => {
    expect(parseSelectorString('')).toEqual({});
  });

  it.each([
    ['env=prod,', 'empty term'],
    ['region in (eu', 'unbalanced'],
    ['a b c', 'cannot parse'],
    ['env=-bad-', 'label value'],
    ['region in (eu,)', 'empty value'],
  ])('rejects %s with a clear reason', (input, message) => {
    expect(() => parseSelectorString(input, 'query.selector')).toThrow(message);
    try {
      parseSelectorString(input, 'query.selector');
    } catch (error) {
      expect(error).toBeInstanceOf(SelectorSyntaxError);
      expect((error as SelectorSyntaxError).field).toBe('query.selector');
    }
  });
});

describe('selectorProblem', () => {
  it('names the bad field', () => {
    expect(selectorProblem({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, 'body.selector')).toMatchObject({
      field: 'body.selector.matchExpressions[0].values',
    });
    expect(selectorProblem({ matchLabels: { 'Bad/Key': 'x' } })?.message).toMatch(/invalid prefix/);
  });

  it('accepts a valid selector', () => {
    expect(selectorProblem({ matchLabels: { 'example.com/env': 'prod' }, matchExpressions: [{ key: 'gpu', operator: 'Exists' }] })).toBeUndefined();
  });
});
