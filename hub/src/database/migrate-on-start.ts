import type { LoggerService } from '@nestjs/common';
import { createMigrator, prismaPaths } from './migration/index.js';
import type { HubConfig } from '../platform/config/config.js';

/**
 * Applies pending migrations before the hub serves anything. A database whose
 * history diverged from the shipped migrations makes the hub refuse to start
 * (the migrator throws HistoryDiverged with what to do).
 */
export async function migrateOnStart(config: HubConfig, logger: LoggerService): Promise<void> {
  const migrator = createMigrator({ databaseUrl: config.databaseUrl, migrationsDir: prismaPaths().migrationsDir });
  const { applied } = await migrator.deploy();
  logger.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
}
