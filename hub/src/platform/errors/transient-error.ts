import { DomainError } from './domain-error.js';

/**
 * Prisma error codes that mean "the database was busy or out of reach": the
 * same call may well succeed a moment later. (Duck-typed on `code`, so this
 * module does not depend on the Prisma client.)
 */
const TRANSIENT_CODES: Readonly<Record<string, string>> = {
  P1001: 'the database server cannot be reached',
  P1002: 'the database server timed out',
  P1008: 'a database operation timed out',
  P1017: 'the database server closed the connection',
  P2024: 'no database connection was free in time',
  P2028: 'a database transaction could not start in time',
  P2034: 'a database transaction hit a write conflict or a deadlock',
};

/**
 * An unexpected error as a retryable `DependencyUnavailable` domain error when
 * it is a transient database failure (so callers see UNAVAILABLE / 503 and
 * retry, instead of INTERNAL / 500); undefined otherwise.
 */
export function asTransientError(error: unknown): DomainError | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string' || !Object.hasOwn(TRANSIENT_CODES, code)) return undefined;
  return new DomainError('DependencyUnavailable', `${TRANSIENT_CODES[code]} (${code}); try again`, { cause: error });
}
