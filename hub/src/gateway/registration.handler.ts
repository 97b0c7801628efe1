import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RegistrationServiceServer } from '@flotilla/proto';
import { DomainError } from '../platform/errors/domain-error.js';
import { RegistrationService } from '../registration/registration.service.js';
import { toGrpcError } from './grpc-status.js';

/** Implements flotilla.v1.RegistrationService on top of RegistrationService. */
@Injectable()
export class RegistrationHandler {
  private readonly logger = new Logger(RegistrationHandler.name);

  constructor(@Inject(RegistrationService) private readonly registration: RegistrationService) {}

  readonly service: RegistrationServiceServer = {
    register: (call, callback) => {
      const r = call.request;
      this.registration
        .register({
          token: r.token,
          clusterIdentity: r.clusterIdentity,
          labels: r.labels,
          agentVersion: r.agentVersion,
          clusterName: r.clusterName,
          registrationNonce: r.registrationNonce,
          peer: call.getPeer(),
        })
        .then(
          (result) => {
            // Never log the credential or the token.
            this.logger.log(`cluster ${result.clusterName} (${result.clusterId}) ${result.reattached ? 're-registered' : 'registered'}`);
            callback(null, { clusterId: result.clusterId, clusterName: result.clusterName, credential: result.credential });
          },
          (error: unknown) => {
            if (!(error instanceof DomainError)) this.logger.error(`Register failed: ${(error as Error).stack ?? error}`);
            callback(toGrpcError(error));
          },
        );
    },
  };
}
