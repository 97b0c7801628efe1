import { Metadata, status } from '@grpc/grpc-js';
import { REASON_METADATA_KEY } from '@flotilla/proto';
import { describe, expect, it } from 'vitest';
import { describeHubFailure, hubFailure } from './hub-failure.js';

function grpcError(code: status, details: string, reason?: string): Error {
  const metadata = new Metadata();
  if (reason) metadata.set(REASON_METADATA_KEY, reason);
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

describe('hubFailure', () => {
  it('reads the status name, details and the flotilla-reason trailer', () => {
    expect(hubFailure(grpcError(status.UNAUTHENTICATED, 'registration token expired', 'RegistrationTokenExpired'))).toEqual({
      code: 'UNAUTHENTICATED',
      details: 'registration token expired',
      reason: 'RegistrationTokenExpired',
    });
  });

  it('has no reason when the hub sent none, and falls back to the message for non-gRPC errors', () => {
    expect(hubFailure(grpcError(status.UNAVAILABLE, 'connection refused')).reason).toBeUndefined();
    expect(hubFailure(new Error('boom'))).toEqual({ code: undefined, details: 'boom', reason: undefined });
  });
});

describe('describeHubFailure', () => {
  it('appends the hub reason to the message when there is one', () => {
    expect(describeHubFailure(grpcError(status.NOT_FOUND, 'revision not found', 'RevisionNotFound'))).toBe('5 NOT_FOUND: revision not found (hub reason RevisionNotFound)');
    expect(describeHubFailure(new Error('boom'))).toBe('boom');
  });
});
