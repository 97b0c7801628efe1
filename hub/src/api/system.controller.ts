import { Controller, Get, Header, Inject } from '@nestjs/common';
import { DomainError } from '../platform/errors/domain-error.js';
import { PrismaService } from '../database/prisma.service.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { RedisConnections } from '../platform/redis/redis.module.js';
import { Public } from './auth.guard.js';
import { readiness } from './readiness.check.js';
import { OPENAPI_DOCUMENT } from './openapi.provider.js';

/** Liveness, readiness, metrics and the OpenAPI document; no token needed. */
@Controller()
@Public()
export class SystemController {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(RedisConnections) private readonly redis: RedisConnections,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
    @Inject(OPENAPI_DOCUMENT) private readonly openapi: object,
  ) {}

  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(): Promise<{ status: 'ready'; checks: Record<string, string> }> {
    // Each check is bounded (READY_CHECK_TIMEOUT_MS): a hung dependency is a quick 503.
    const [database, redis] = await Promise.all([
      readiness('database', () => this.prisma.$queryRaw`SELECT 1`),
      readiness('redis', () => this.redis.command.ping()),
    ]);
    const checks: Record<string, string> = { database, redis };
    if (database !== 'ok' || redis !== 'ok') {
      throw new DomainError('DependencyUnavailable', `not ready: database ${checks.database}; redis ${checks.redis}`);
    }
    return { status: 'ready', checks };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  @Get('openapi.json')
  document(): object {
    return this.openapi;
  }
}
