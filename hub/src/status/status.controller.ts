import { Controller, Get, Inject, Param } from '@nestjs/common';
import { idParams } from '../platform/http/common.schemas.js';
import { params } from '../platform/http/zod.pipe.js';
import { bundleNameParams } from '../bundles/bundle.api.js';
import { DeploymentStatusService } from './deployment-status.service.js';

@Controller('api/v1')
export class StatusController {
  constructor(@Inject(DeploymentStatusService) private readonly status: DeploymentStatusService) {}

  @Get('bundles/:name/status')
  bundle(@Param(params(bundleNameParams)) p: { name: string }) {
    return this.status.bundleStatus(p.name);
  }

  @Get('clusters/:id/deployments')
  cluster(@Param(params(idParams)) p: { id: string }) {
    return this.status.clusterDeployments(p.id);
  }

  @Get('deployments/:id')
  deployment(@Param(params(idParams)) p: { id: string }) {
    return this.status.deployment(p.id);
  }
}
