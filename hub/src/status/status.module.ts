import { Module } from '@nestjs/common';
import { DeploymentStatusService } from './deployment-status.service.js';
import { StatusController } from './status.controller.js';

@Module({ controllers: [StatusController], providers: [DeploymentStatusService], exports: [DeploymentStatusService] })
export class StatusModule {}
