import type { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';

/** How many bundle names a ClusterGroupInUse message lists before "and N more". */
const NAMED_IN_MESSAGE = 10;

/**
 * Refuses (409 ClusterGroupInUse, naming the bundles) to rename or delete a
 * group that a bundle's targets reference by name (`clusterGroup: <name>`):
 * doing so would silently untarget those bundles. Uses JSONB containment on
 * `bundles.targets`, so no bundle is loaded.
 */
export async function assertGroupUnused(prisma: PrismaService, groupName: string, action: 'rename' | 'delete', field?: string): Promise<void> {
  const probe = JSON.stringify([{ clusterGroup: groupName }]);
  const rows = await prisma.$queryRaw<{ name: string; total: bigint }[]>`
    SELECT name, count(*) OVER () AS total FROM bundles WHERE targets @> ${probe}::jsonb ORDER BY name LIMIT ${NAMED_IN_MESSAGE}`;
  if (rows.length === 0) return;
  const total = Number(rows[0]!.total);
  const names = rows.map((r) => `"${r.name}"`).join(', ');
  const more = total > rows.length ? ` and ${total - rows.length} more` : '';
  throw new DomainError(
    'ClusterGroupInUse',
    `cannot ${action} cluster group "${groupName}": bundle${total === 1 ? '' : 's'} ${names}${more} target${total === 1 ? 's' : ''} it; change their targets first`,
    field === undefined ? {} : { field },
  );
}
