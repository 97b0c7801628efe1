import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { BODY_LIMIT, DEFAULT_BODY_LIMIT, RAW_BODY } from './body-limit.js';
import { readJsonBody, readRawBody } from './json-body.reader.js';

/**
 * Reads request bodies after the guards (authentication, role) and before the
 * pipes: nothing parses a body globally (main.ts), so an unauthenticated or
 * forbidden request is answered without its body being held in memory, and
 * each route reads at most its own `@BodyLimit` (default `DEFAULT_BODY_LIMIT`).
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const limit = this.reflector.getAllAndOverride<number | undefined>(BODY_LIMIT, [context.getHandler(), context.getClass()]) ?? DEFAULT_BODY_LIMIT;
    const raw = this.reflector.getAllAndOverride<string[] | undefined>(RAW_BODY, [context.getHandler(), context.getClass()]);
    return from(raw ? readRawBody(request, limit, raw) : readJsonBody(request, limit)).pipe(
      switchMap((body) => {
        request.body = body;
        return next.handle();
      }),
    );
  }
}
