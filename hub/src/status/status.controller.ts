import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { z } from 'zod';
import { idParams } from '../platform/http/common.schemas.js';
import { params, query } from '../platform/http/zod.pipe.js';
import { bundleNameParams } from '../bundles/bundle.api.js';
import { DeploymentStatusService } from './deployment-status.service.js';
import { parseSelectorQuery } from '../target/label.validation.js';
import { bundleSummariesQuery, fleetDeploymentsQuery, listDeploymentsQuery } from './status.api.js';
import type { DeploymentFilter } from './deployment-query.js';

type ListQuery = z.output<typeof listDeploymentsQuery>;

function filterOf(q: ListQuery): DeploymentFilter {
  return {
    state: q.state,
    revision: q.revision,
    notOnLatest: q.notOnLatest,
    ...(q.selector ? { selector: parseSelectorQuery(q.selector, 'query.selector') } : {}),
  };
}

@Controller('api/v1')
export class StatusController {
  constructor(@Inject(DeploymentStatusService) private readonly status: DeploymentStatusService) {}

  @Get('bundles/:name/status')
  bundle(@Param(params(bundleNameParams)) p: { name: string }, @Query(query(listDeploymentsQuery)) q: ListQuery) {
    return this.status.bundleStatus(p.name, filterOf(q), q);
  }

  @Get('clusters/:id/deployments')
  cluster(@Param(params(idParams)) p: { id: string }, @Query(query(listDeploymentsQuery)) q: ListQuery) {
    return this.status.clusterDeployments(p.id, filterOf(q), q);
  }

  @Get('deployments')
  deployments(@Query(query(fleetDeploymentsQuery)) q: z.output<typeof fleetDeploymentsQuery>) {
    return this.status.deployments({ ...filterOf(q), bundle: q.bundle }, q);
  }

  @Get('status')
  fleet() {
    return this.status.gitRepoSummaries();
  }

  @Get('status/bundles')
  bundles(@Query(query(bundleSummariesQuery)) q: z.output<typeof bundleSummariesQuery>) {
    return this.status.bundleSummaries({ gitRepo: q.gitRepo, state: q.state }, q);
  }

  @Get('deployments/:id')
  deployment(@Param(params(idParams)) p: { id: string }) {
    return this.status.deployment(p.id);
  }
}
