import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { z } from 'zod';
import type { Page } from '../platform/http/pagination.js';
import { AdminOnly } from './auth.guard.js';
import { createApiTokenBody, listApiTokensQuery } from './api-token.api.js';
import { ApiTokenService, type ApiTokenView } from './api-token.service.js';
import { idParams } from '../platform/http/common.schemas.js';
import { body, params, query } from '../platform/http/zod.pipe.js';

@Controller('api/v1/api-tokens')
@AdminOnly()
export class ApiTokenController {
  constructor(@Inject(ApiTokenService) private readonly tokens: ApiTokenService) {}

  @Post()
  create(@Body(body(createApiTokenBody)) b: z.output<typeof createApiTokenBody>): Promise<ApiTokenView & { token: string }> {
    return this.tokens.create(b.name, b.role);
  }

  @Get()
  list(@Query(query(listApiTokensQuery)) q: z.output<typeof listApiTokensQuery>): Promise<Page<ApiTokenView>> {
    return this.tokens.list({ status: q.status }, q);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param(params(idParams)) p: { id: string }): Promise<void> {
    await this.tokens.revoke(p.id);
  }
}
