import { Controller, Get, Header, Inject, Logger, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PrismaService } from '../database/prisma.service.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { RedisConnections } from '../platform/redis/redis.module.js';
import { withTimeout } from '../platform/timeout/with-timeout.js';
import { ApiTokenService } from './api-token.service.js';
import { bearerToken, Public } from './auth.guard.js';
import { READY_CHECK_TIMEOUT_MS, readiness } from './readiness.check.js';
import { OPENAPI_DOCUMENT } from './openapi.provider.js';

/**
 * Readiness as everyone sees it; the checks (which can name hosts, ports and
 * driver errors) only with a valid API token, and in the log.
 */
export interface Readiness {
  status: 'ready' | 'not-ready';
  checks?: Record<string, string>;
}

/** Liveness, readiness, metrics and the OpenAPI document; no token needed. */
@Controller()
@Public()
export class SystemController {
  private readonly logger = new Logger(SystemController.name);
  /** The last failure logged, so a probe every few seconds logs a failure once, not every time. */
  private loggedFailure: string | undefined;

  constructor(
    @Inject(ApiTokenService) private readonly tokens: ApiTokenService,
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
  async ready(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<Readiness> {
    // Each check is bounded (READY_CHECK_TIMEOUT_MS): a hung dependency is a quick 503.
    const [database, redis] = await Promise.all([
      readiness('database', () => this.prisma.$queryRaw`SELECT 1`),
      readiness('redis', () => this.redis.command.ping()),
    ]);
    const checks: Record<string, string> = { database, redis };
    const ready = database === 'ok' && redis === 'ok';
    this.logTransition(ready ? undefined : `not ready: database ${checks.database}; redis ${checks.redis}`);
    if (!ready) response.status(503);
    const answer: Readiness = { status: ready ? 'ready' : 'not-ready' };
    return (await this.maySeeChecks(request)) ? { ...answer, checks } : answer;
  }

  /** Any valid API token (readonly too) may see the checks; a missing or bad one just does not. */
  private async maySeeChecks(request: Request): Promise<boolean> {
    const token = bearerToken(request);
    if (!token) return false;
    // Bounded too: with the database down, checking the token must not hang the probe.
    return withTimeout(this.tokens.authenticate(token), READY_CHECK_TIMEOUT_MS, 'token check').then(
      () => true,
      () => false,
    );
  }

  private logTransition(failure: string | undefined): void {
    if (failure === this.loggedFailure) return;
    if (failure) this.logger.warn(failure);
    else this.logger.log('ready again');
    this.loggedFailure = failure;
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
