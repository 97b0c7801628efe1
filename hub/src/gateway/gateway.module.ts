import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module.js';
import { RolloutQueueModule } from '../delivery/rollout/rollout-queue.module.js';
import { RegistrationModule } from '../registration/registration.module.js';
import { StatusModule } from '../status/status.module.js';
import { AgentGateway } from './agent.gateway.js';
import { AssignmentSource } from './assignment.source.js';
import { BundleContentHandler } from './bundle-content.handler.js';
import { ClusterAuthenticator } from './cluster-authenticator.js';
import { GrpcServer } from './grpc.server.js';
import { RegistrationHandler } from './registration.handler.js';

/** The agent-facing edge: gRPC server, authentication, Watch streams. */
@Module({
  imports: [ClustersModule, RegistrationModule, StatusModule, RolloutQueueModule],
  providers: [AgentGateway, AssignmentSource, BundleContentHandler, ClusterAuthenticator, GrpcServer, RegistrationHandler],
  exports: [GrpcServer],
})
export class GatewayModule {}
