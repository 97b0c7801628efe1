import { Prisma } from '../generated/prisma/client.js';
import { FLEET_EVENT_KINDS } from '../platform/events/fleet-event-log.js';

/** What a reader (stream, history, subscription) wants of the event log. */
export interface EventFilter {
  /** Kinds, exact or a prefix ending in ".*" (`rollout.*`); empty: every kind. */
  kinds?: string[] | undefined;
  bundle?: string | undefined;
  cluster?: string | undefined;
  gitRepo?: string | undefined;
  severity?: string | undefined;
}

/** The problem with a kind pattern, or undefined (it names a known kind, or a prefix of some). */
export function kindProblem(pattern: string): string | undefined {
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return FLEET_EVENT_KINDS.some((k) => k.startsWith(prefix)) ? undefined : `"${pattern}" matches no event kind (${FLEET_EVENT_KINDS.join(', ')})`;
  }
  return (FLEET_EVENT_KINDS as readonly string[]).includes(pattern) ? undefined : `"${pattern}" is not an event kind (${FLEET_EVENT_KINDS.join(', ')}, or a prefix such as rollout.*)`;
}

/** Whether an event's kind matches the patterns (pure; empty matches all). */
export function kindMatches(kind: string, patterns: readonly string[]): boolean {
  return patterns.length === 0 || patterns.some((p) => (p.endsWith('.*') ? kind.startsWith(p.slice(0, -1)) : kind === p));
}

/** The filter as SQL conditions over `fleet_events e`. */
export function eventConditions(f: EventFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  const kinds = f.kinds ?? [];
  if (kinds.length) {
    const exact = kinds.filter((k) => !k.endsWith('.*'));
    const prefixes = kinds.filter((k) => k.endsWith('.*')).map((k) => `${k.slice(0, -1)}%`);
    const terms: Prisma.Sql[] = [];
    if (exact.length) terms.push(Prisma.sql`e.kind = ANY(${exact}::text[])`);
    if (prefixes.length) terms.push(Prisma.sql`e.kind LIKE ANY(${prefixes}::text[])`);
    where.push(Prisma.sql`(${Prisma.join(terms, ' OR ')})`);
  }
  if (f.bundle) where.push(Prisma.sql`e.bundle = ${f.bundle}`);
  if (f.cluster) where.push(Prisma.sql`e.cluster = ${f.cluster}`);
  if (f.gitRepo) where.push(Prisma.sql`e.git_repo = ${f.gitRepo}`);
  if (f.severity) where.push(Prisma.sql`e.severity = ${f.severity}`);
  return where;
}
