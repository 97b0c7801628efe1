import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { idParams } from '../platform/http/common.schemas.js';
import { body, params, query } from '../platform/http/zod.pipe.js';
import { parseSelectorQuery } from '../target/label.validation.js';
import { listClustersQuery, patchClusterBody } from './cluster.api.js';
import type { Page } from '../platform/http/pagination.js';
import { ClusterService, type ClusterView } from './cluster.service.js';
import type { z } from 'zod';

@Controller('api/v1/clusters')
export class ClusterController {
  constructor(@Inject(ClusterService) private readonly clusters: ClusterService) {}

  @Get()
  list(@Query(query(listClustersQuery)) q: z.output<typeof listClustersQuery>): Promise<Page<ClusterView>> {
    const selector = q.selector ? parseSelectorQuery(q.selector, 'query.selector') : {};
    return this.clusters.list({ selector, connection: q.connection, namePrefix: q.namePrefix }, q);
  }

  @Get(':id')
  get(@Param(params(idParams)) p: { id: string }): Promise<ClusterView> {
    return this.clusters.get(p.id);
  }

  @Patch(':id')
  patch(@Param(params(idParams)) p: { id: string }, @Body(body(patchClusterBody)) b: z.output<typeof patchClusterBody>): Promise<ClusterView> {
    return this.clusters.patchLabels(p.id, b.labels);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Param(params(idParams)) p: { id: string }): Promise<ClusterView> {
    return this.clusters.revoke(p.id);
  }

  @Delete(':id')
  @HttpCode(204)
  async deregister(@Param(params(idParams)) p: { id: string }): Promise<void> {
    await this.clusters.deregister(p.id);
  }
}
