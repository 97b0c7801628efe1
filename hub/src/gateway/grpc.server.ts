import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { AgentServiceService, RegistrationServiceService } from '@flotilla/proto';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { AgentGateway } from './agent.gateway.js';
import { SERVER_OPTIONS } from './grpc-server.options.js';
import { RegistrationHandler } from './registration.handler.js';

/** The agent-facing gRPC server (TLS unless explicitly insecure). */
@Injectable()
export class GrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(GrpcServer.name);
  private server: Server | undefined;
  /** Port actually bound (differs from config when 0 was asked for). */
  port = 0;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(AgentGateway) private readonly agents: AgentGateway,
    @Inject(RegistrationHandler) private readonly registration: RegistrationHandler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = new Server(SERVER_OPTIONS);
    server.addService(AgentServiceService, this.agents.service);
    server.addService(RegistrationServiceService, this.registration.service);
    const { host, port } = this.config.grpc;
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${port}`, this.credentials(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    this.server = server;
    this.logger.log(`gRPC agent API listening on ${host}:${this.port} (${this.config.grpc.insecure ? 'plaintext' : 'TLS'})`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 3000);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private credentials(): ServerCredentials {
    const { insecure, tlsCertFile, tlsKeyFile } = this.config.grpc;
    if (insecure) return ServerCredentials.createInsecure();
    return ServerCredentials.createSsl(null, [
      { cert_chain: readFileSync(tlsCertFile!), private_key: readFileSync(tlsKeyFile!) },
    ]);
  }
}
