import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApiTokenController } from './api-token.controller.js';
import { ApiTokenService } from './api-token.service.js';
import { ApiAuthGuard } from './auth.guard.js';
import { HttpErrorFilter } from './http-error.filter.js';
import { openApiProvider } from './openapi.provider.js';
import { SystemController } from './system.controller.js';

/** Cross-cutting REST concerns: authentication, error mapping, system routes. */
@Module({
  controllers: [ApiTokenController, SystemController],
  providers: [
    ApiTokenService,
    openApiProvider,
    { provide: APP_GUARD, useClass: ApiAuthGuard },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
  ],
})
export class ApiModule {}
