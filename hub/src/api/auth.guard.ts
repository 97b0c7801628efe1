import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../platform/errors/domain-error.js';
import { ACCESS, type Access } from '../platform/http/access.js';
import { ApiTokenService, type ApiPrincipal } from './api-token.service.js';

export { AdminOnly, Public } from '../platform/http/access.js';

export type AuthenticatedRequest = Request & { principal?: ApiPrincipal };

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(request: Request): string | undefined {
  return request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/**
 * Every route needs an API token. Reads (GET/HEAD) are open to the readonly
 * role; anything that changes state needs admin. Guards run before any body
 * is read (platform/http/json-body.interceptor.ts), so a request refused here
 * never has its body held in memory.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiTokenService) private readonly tokens: ApiTokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (access === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.tokens.authenticate(bearerToken(request));
    request.principal = principal;
    const isRead = request.method === 'GET' || request.method === 'HEAD';
    if (principal.role !== 'admin' && (access === 'admin' || !isRead)) {
      throw new DomainError('ApiRoleForbidden', `the ${principal.role} role cannot ${request.method} ${request.path}`);
    }
    return true;
  }
}
