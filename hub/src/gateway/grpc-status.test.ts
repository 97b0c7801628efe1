import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { Prisma } from '../generated/prisma/client.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { REASON_METADATA_KEY, toGrpcError } from './grpc-status.js';

const prismaError = (code: string) => new Prisma.PrismaClientKnownRequestError('Transaction API error: Unable to start a transaction in the given time.', { code, clientVersion: '7' });

describe('toGrpcError', () => {
  it('maps a domain error by its category and carries the reason and field', () => {
    const e = toGrpcError(new DomainError('InvalidLabels', 'label value too long', { field: 'labels.env' }));
    expect(e.code).toBe(status.INVALID_ARGUMENT);
    expect(e.details).toBe('label value too long (field labels.env)');
    expect(e.metadata?.get(REASON_METADATA_KEY)).toEqual(['InvalidLabels']);
  });

  it('turns transient database failures into UNAVAILABLE, which agents retry', () => {
    for (const code of ['P2028', 'P2024', 'P2034', 'P1001', 'P1017']) {
      const e = toGrpcError(prismaError(code));
      expect(e.code, code).toBe(status.UNAVAILABLE);
      expect(e.metadata?.get(REASON_METADATA_KEY)).toEqual(['DependencyUnavailable']);
      expect(e.details).toContain(`(${code}); try again`);
    }
    expect(toGrpcError(prismaError('P2028')).details).toBe('a database transaction could not start in time (P2028); try again');
  });

  it('hides other errors behind INTERNAL without their message', () => {
    for (const error of [prismaError('P2002'), new Error('secret detail'), 'a string', undefined]) {
      const e = toGrpcError(error);
      expect(e.code).toBe(status.INTERNAL);
      expect(e.details).toBe('internal error in the hub');
      expect(e.metadata?.get(REASON_METADATA_KEY)).toEqual(['Internal']);
    }
  });
});
