import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { ConfigError, loadConfig } from './platform/config/config.js';
import { migrateOnStart } from './database/migrate-on-start.js';

/**
 * Every TLS connection keeps a 3-byte slice of Node's Buffer pool for its
 * whole life (its ALPN list); with the default 64 KiB pool chunks, thousands
 * of idle agent connections pin megabytes of chunks. Smaller chunks pin less
 * (≈ 6 KiB per connected cluster; bench/idle-agents/FINDINGS.md).
 */
Buffer.poolSize = 8 * 1024;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = new ConsoleLogger('flotilla-hub', { json: config.logFormat === 'json' });
  if (config.migrateOnStart) await migrateOnStart(config, logger);
  // No global body parser: bodies are read per route after authentication, each
  // within its route's limit (platform/http/json-body.interceptor.ts).
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger, bodyParser: false });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  logger.log(`REST API listening on ${config.http.host}:${config.http.port}`);
}

main().catch((error: unknown) => {
  // Configuration and migration errors carry a complete, human-readable message.
  const message = error instanceof ConfigError || (error as { reason?: string })?.reason ? (error as Error).message : (error as Error)?.stack ?? String(error);
  process.stderr.write(`flotilla-hub failed to start: ${message}\n`);
  process.exit(1);
});
