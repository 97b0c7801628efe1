import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors/domain-error.js';
import { assertValidLabels, assertValidSelector, parseSelectorQuery } from './label.validation.js';

describe('label validation', () => {
  it('throws InvalidLabels naming the bad key', () => {
    expect(() => assertValidLabels({ env: 'prod', 'Bad/x': 'y' }, 'body.labels')).toThrow(
      expect.objectContaining({ reason: 'InvalidLabels', field: 'body.labels.Bad/x' }),
    );
    expect(() => assertValidLabels({ env: 'prod' })).not.toThrow();
  });

  it('throws InvalidSelector naming the bad field', () => {
    expect(() => assertValidSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, 'body.selector')).toThrow(
      expect.objectContaining({ reason: 'InvalidSelector', field: 'body.selector.matchExpressions[0].values' }),
    );
    expect(() => assertValidSelector({ matchLabels: { 'Bad/Key': 'x' } })).toThrow(/invalid prefix/);
  });

  it.each(['env=prod,', 'region in (eu', 'env=-bad-'])('rejects the query %j as InvalidSelector on the query field', (input) => {
    try {
      parseSelectorQuery(input, 'query.selector');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).reason).toBe('InvalidSelector');
      expect((error as DomainError).field).toBe('query.selector');
    }
  });

  it('parses a valid query', () => {
    expect(parseSelectorQuery('env=prod')).toEqual({ matchLabels: { env: 'prod' } });
  });
});
