export { MigrationError, type MigrationErrorReason } from './errors.js';
export type { AppliedMigration, HistoryProblem, HistoryProblemKind } from './history.js';
export {
  createMigrator,
  type CreateResult,
  type DeployResult,
  type MigrationStatus,
  type Migrator,
  type MigratorOptions,
  type ResolveAs,
} from './migrator.js';
export { loadSchemaEngine, openSchemaEngine, schemaEngineVersion, type SchemaEngineClient } from './schema-engine.js';
export { prismaPaths, type PrismaPaths } from './paths.js';
export { migrationSlug, migrationTimestamp } from './names.js';
