import { Metadata, status } from '@grpc/grpc-js';
import { REASON_METADATA_KEY } from '@flotilla/proto';
import { describe, expect, it } from 'vitest';
import { classifyRegisterFailure, ClusterIdentityTakenError, RegistrationRequestRejectedError, TokenRejectedError } from './registration.errors.js';

function grpcError(code: status, details: string, reason: string): Error {
  const metadata = new Metadata();
  metadata.set(REASON_METADATA_KEY, reason);
  return Object.assign(new Error(details), { code, details, metadata });
}

describe('classifyRegisterFailure', () => {
  it('calls UNAUTHENTICATED and PERMISSION_DENIED a rejected token', () => {
    for (const code of [status.UNAUTHENTICATED, status.PERMISSION_DENIED]) {
      const error = classifyRegisterFailure(grpcError(code, 'registration token is invalid', 'RegistrationTokenInvalid'));
      expect(error).toBeInstanceOf(TokenRejectedError);
      expect(error?.failure.reason).toBe('RegistrationTokenInvalid');
    }
  });

  it('calls INVALID_ARGUMENT a rejected request and says what was wrong, not that the token was', () => {
    const error = classifyRegisterFailure(grpcError(status.INVALID_ARGUMENT, 'cluster_name "A_B" must be a DNS label (field cluster_name)', 'ValidationFailed'));
    expect(error).toBeInstanceOf(RegistrationRequestRejectedError);
    expect(error?.message).toBe('registration request rejected: cluster_name "A_B" must be a DNS label (field cluster_name)');
    expect(error?.failure).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'ValidationFailed' });
  });

  it('calls ALREADY_EXISTS with reason ClusterIdentityTaken a taken identity, keeping the hub\'s message', () => {
    const details = 'cluster identity u1 is already registered as cluster edge-1 (c1); ...: ask the platform team for a registration token issued for cluster edge-1, or to deregister it';
    const error = classifyRegisterFailure(grpcError(status.ALREADY_EXISTS, details, 'ClusterIdentityTaken'));
    expect(error).toBeInstanceOf(ClusterIdentityTakenError);
    expect(error?.failure).toEqual({ code: 'ALREADY_EXISTS', details, reason: 'ClusterIdentityTaken' });
  });

  it('leaves transient failures to the retry loop', () => {
    expect(classifyRegisterFailure(grpcError(status.UNAVAILABLE, 'connection refused', 'DependencyUnavailable'))).toBeUndefined();
    expect(classifyRegisterFailure(new Error('socket hang up'))).toBeUndefined();
  });
});
