import { MigrationError } from './errors.js';

/** Prisma's migration folder prefix: UTC `YYYYMMDDHHMMSS`, so names sort in creation order. */
export function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Folder-name-safe form of a migration name, as Prisma would accept it: lower-case words joined by "_". */
export function migrationSlug(name: string): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
  if (!slug) throw new MigrationError('InvalidConfig', `Invalid migration name ${JSON.stringify(name)}: use letters, digits and "_".`);
  return slug;
}
