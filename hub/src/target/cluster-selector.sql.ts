import { Prisma } from '../generated/prisma/client.js';
import type { LabelSelector } from '@flotilla/core';

/**
 * A label selector as a SQL condition on `clusters.labels` (JSONB), with the
 * same meaning as `matchesSelector`: every term must hold; NotIn and
 * DoesNotExist hold for clusters without the key. Values are bound
 * parameters, never spliced into the SQL text.
 */
export function selectorCondition(selector: LabelSelector): Prisma.Sql {
  const terms: Prisma.Sql[] = [];
  const matchLabels = selector.matchLabels ?? {};
  if (Object.keys(matchLabels).length > 0) terms.push(Prisma.sql`labels @> ${JSON.stringify(matchLabels)}::jsonb`);
  for (const req of selector.matchExpressions ?? []) {
    const values = req.values ?? [];
    if (values.length === 0 && (req.operator === 'In' || req.operator === 'NotIn')) {
      terms.push(req.operator === 'In' ? Prisma.sql`FALSE` : Prisma.sql`TRUE`);
      continue;
    }
    switch (req.operator) {
      case 'In':
        terms.push(Prisma.sql`(labels ->> ${req.key}) IN (${Prisma.join(values)})`);
        break;
      case 'NotIn':
        terms.push(Prisma.sql`((labels ->> ${req.key}) IS NULL OR (labels ->> ${req.key}) NOT IN (${Prisma.join(values)}))`);
        break;
      case 'Exists':
        terms.push(Prisma.sql`jsonb_exists(labels, ${req.key})`);
        break;
      case 'DoesNotExist':
        terms.push(Prisma.sql`NOT jsonb_exists(labels, ${req.key})`);
        break;
    }
  }
  return terms.length === 0 ? Prisma.sql`TRUE` : Prisma.join(terms, ' AND ');
}
