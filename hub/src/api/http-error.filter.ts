import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, type ErrorCategory } from '../platform/errors/domain-error.js';
import { asTransientError } from '../platform/errors/transient-error.js';

/** The one place domain errors become HTTP statuses. */
const STATUS: Record<ErrorCategory, number> = {
  InvalidArgument: 400,
  Unauthenticated: 401,
  PermissionDenied: 403,
  NotFound: 404,
  Conflict: 409,
  ResourceExhausted: 429,
  Unavailable: 503,
  Internal: 500,
};

/** Error body of every failed REST call. */
export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const transient = error instanceof DomainError ? undefined : asTransientError(error);
    if (transient) {
      this.logger.warn(`${transient.message}: ${(error as Error).message}`);
      error = transient;
    }
    if (error instanceof DomainError) {
      const body: ErrorBody = { error: error.reason, message: error.message };
      if (error.field) body.field = error.field;
      response.status(STATUS[error.category]).json(body);
      return;
    }
    if (error instanceof HttpException) {
      // Transport errors: unknown route, body too large, wrong media type.
      const status = error.getStatus();
      const body: ErrorBody = { error: httpReason(status), message: error.message };
      const field = (error.getResponse() as { field?: unknown }).field;
      if (typeof field === 'string') body.field = field;
      response.status(status).json(body);
      return;
    }
    this.logger.error(`unhandled error: ${(error as Error)?.stack ?? String(error)}`);
    response.status(500).json({ error: 'Internal', message: 'internal error' } satisfies ErrorBody);
  }
}

function httpReason(status: number): string {
  if (status === 404) return 'NotFound';
  if (status === 413) return 'PayloadTooLarge';
  if (status === 415) return 'UnsupportedMediaType';
  if (status >= 400 && status < 500) return 'BadRequest';
  return 'Internal';
}
