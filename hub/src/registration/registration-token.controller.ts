import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { z } from 'zod';
import { idParams } from '../platform/http/common.schemas.js';
import { body, params } from '../platform/http/zod.pipe.js';
import { createRegistrationTokenBody } from './registration-token.api.js';
import { RegistrationTokenService, type RegistrationTokenView } from './registration-token.service.js';

@Controller('api/v1/registration-tokens')
export class RegistrationTokenController {
  constructor(@Inject(RegistrationTokenService) private readonly tokens: RegistrationTokenService) {}

  @Post()
  create(@Body(body(createRegistrationTokenBody)) b: z.output<typeof createRegistrationTokenBody>): Promise<RegistrationTokenView & { token: string }> {
    return this.tokens.create(b);
  }

  @Get()
  list(): Promise<RegistrationTokenView[]> {
    return this.tokens.list();
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param(params(idParams)) p: { id: string }): Promise<void> {
    await this.tokens.revoke(p.id);
  }
}
