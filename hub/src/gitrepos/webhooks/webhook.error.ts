/**
 * Why a webhook delivery was refused. The controller maps reasons to HTTP:
 * UnknownProvider and InvalidPayload are the sender's mistake (400),
 * SignatureMissing and SignatureInvalid mean "not from who it claims" (401).
 */
export type WebhookErrorReason = 'UnknownProvider' | 'InvalidPayload' | 'SignatureInvalid' | 'SignatureMissing';

export interface WebhookErrorOptions {
  cause?: unknown;
  /** The payload field that is missing or wrong (JSON path such as `repository.clone_url`). */
  field?: string;
}

export class WebhookError extends Error {
  readonly reason: WebhookErrorReason;
  readonly field: string | undefined;

  constructor(reason: WebhookErrorReason, message: string, options: WebhookErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WebhookError';
    this.reason = reason;
    this.field = options.field;
  }
}
