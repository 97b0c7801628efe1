import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PrismaPaths {
  /** The folder holding schema.prisma and migrations/. */
  dir: string;
  schemaPath: string;
  migrationsDir: string;
}

/**
 * `<repo>/prisma`, found relative to this file rather than the working directory: it sits four
 * levels below the repo both as hub/src/database/migration/paths.ts (vitest) and as
 * hub/dist/database/migration/paths.js (after tsc). FLOTILLA_PRISMA_DIR overrides it, e.g. in an
 * image that ships the prisma folder elsewhere.
 */
export function prismaPaths(env: NodeJS.ProcessEnv = process.env): PrismaPaths {
  const override = env['FLOTILLA_PRISMA_DIR'];
  const dir = override ? resolve(override) : fileURLToPath(new URL('../../../../prisma', import.meta.url));
  return { dir, schemaPath: join(dir, 'schema.prisma'), migrationsDir: join(dir, 'migrations') };
}
