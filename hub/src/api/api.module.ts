import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JsonBodyInterceptor } from '../platform/http/json-body.interceptor.js';
import { ApiTokenController } from './api-token.controller.js';
import { ApiTokenService } from './api-token.service.js';
import { ApiAuthGuard } from './auth.guard.js';
import { HttpErrorFilter } from './http-error.filter.js';
import { openApiProvider } from './openapi.provider.js';
import { SystemController } from './system.controller.js';

/** Cross-cutting REST concerns: authentication, body reading, error mapping, system routes. */
@Module({
  controllers: [ApiTokenController, SystemController],
  providers: [
    ApiTokenService,
    openApiProvider,
    { provide: APP_GUARD, useClass: ApiAuthGuard },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    // Interceptors run after every guard: bodies are read only once the caller may make the call.
    { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
  ],
})
export class ApiModule {}
