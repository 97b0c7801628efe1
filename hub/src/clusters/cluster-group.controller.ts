import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import type { z } from 'zod';
import { idParams } from '../platform/http/common.schemas.js';
import type { Page } from '../platform/http/pagination.js';
import { body, params, query } from '../platform/http/zod.pipe.js';
import { createGroupBody, listGroupsQuery, updateGroupBody } from './cluster.api.js';
import { ClusterGroupService, type ClusterGroupView } from './cluster-group.service.js';

@Controller('api/v1/cluster-groups')
export class ClusterGroupController {
  constructor(@Inject(ClusterGroupService) private readonly groups: ClusterGroupService) {}

  @Get()
  list(@Query(query(listGroupsQuery)) q: z.output<typeof listGroupsQuery>): Promise<Page<ClusterGroupView>> {
    return this.groups.list({ namePrefix: q.namePrefix }, q);
  }

  @Post()
  create(@Body(body(createGroupBody)) b: z.output<typeof createGroupBody>): Promise<ClusterGroupView> {
    return this.groups.create(b);
  }

  @Get(':id')
  get(@Param(params(idParams)) p: { id: string }): Promise<ClusterGroupView> {
    return this.groups.get(p.id);
  }

  @Patch(':id')
  update(@Param(params(idParams)) p: { id: string }, @Body(body(updateGroupBody)) b: z.output<typeof updateGroupBody>): Promise<ClusterGroupView> {
    return this.groups.update(p.id, b);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param(params(idParams)) p: { id: string }): Promise<void> {
    await this.groups.delete(p.id);
  }
}
