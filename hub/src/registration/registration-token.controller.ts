import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { z } from 'zod';
import type { Page } from '../platform/http/pagination.js';
import { idParams } from '../platform/http/common.schemas.js';
import { body, params, query } from '../platform/http/zod.pipe.js';
import { createRegistrationTokenBody, listRegistrationTokensQuery } from './registration-token.api.js';
import { RegistrationTokenService, type RegistrationTokenView } from './registration-token.service.js';

@Controller('api/v1/registration-tokens')
export class RegistrationTokenController {
  constructor(@Inject(RegistrationTokenService) private readonly tokens: RegistrationTokenService) {}

  @Post()
  create(@Body(body(createRegistrationTokenBody)) b: z.output<typeof createRegistrationTokenBody>): Promise<RegistrationTokenView & { token: string }> {
    return this.tokens.create(b);
  }

  @Get()
  list(@Query(query(listRegistrationTokensQuery)) q: z.output<typeof listRegistrationTokensQuery>): Promise<Page<RegistrationTokenView>> {
    return this.tokens.list({ status: q.status }, q);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param(params(idParams)) p: { id: string }): Promise<void> {
    await this.tokens.revoke(p.id);
  }
}
