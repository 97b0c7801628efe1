import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Location of schema.prisma and migrations/: `FLOTILLA_PRISMA_DIR`, else the
 * repository's `prisma/` folder (the same from hub/src and hub/dist).
 */
export function prismaPaths(): { schemaPath: string; migrationsDir: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = process.env.FLOTILLA_PRISMA_DIR ?? resolve(here, '../../../../prisma');
  return { schemaPath: join(dir, 'schema.prisma'), migrationsDir: join(dir, 'migrations') };
}
