import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { z } from 'zod';
import { idParams } from '../platform/http/common.schemas.js';
import { params, query } from '../platform/http/zod.pipe.js';
import { bundleNameParams } from '../bundles/bundle.api.js';
import { DeploymentStatusService } from './deployment-status.service.js';
import { listDeploymentsQuery } from './status.api.js';

type ListQuery = z.output<typeof listDeploymentsQuery>;

@Controller('api/v1')
export class StatusController {
  constructor(@Inject(DeploymentStatusService) private readonly status: DeploymentStatusService) {}

  @Get('bundles/:name/status')
  bundle(@Param(params(bundleNameParams)) p: { name: string }, @Query(query(listDeploymentsQuery)) q: ListQuery) {
    return this.status.bundleStatus(p.name, { state: q.state }, q);
  }

  @Get('clusters/:id/deployments')
  cluster(@Param(params(idParams)) p: { id: string }, @Query(query(listDeploymentsQuery)) q: ListQuery) {
    return this.status.clusterDeployments(p.id, { state: q.state }, q);
  }

  @Get('deployments/:id')
  deployment(@Param(params(idParams)) p: { id: string }) {
    return this.status.deployment(p.id);
  }
}
