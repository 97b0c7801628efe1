import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { z } from 'zod';
import type { Page } from '../platform/http/pagination.js';
import { body, params, query } from '../platform/http/zod.pipe.js';
import { bundleSetNameParams, listBundleSetsQuery, previewBundleSetBody, putBundleSetBody } from './bundleset.api.js';
import { BundleSetService, type BundleSetPreview } from './bundleset.service.js';
import type { BundleSetView } from './bundleset.view.js';

@Controller('api/v1/bundlesets')
export class BundleSetController {
  constructor(@Inject(BundleSetService) private readonly sets: BundleSetService) {}

  // Before `:name` routes: "preview" is not a BundleSet name.
  @Post('preview')
  @HttpCode(200)
  preview(@Body(body(previewBundleSetBody)) b: z.output<typeof previewBundleSetBody>): Promise<BundleSetPreview> {
    return this.sets.preview(b);
  }

  @Put(':name')
  async put(
    @Param(params(bundleSetNameParams)) p: { name: string },
    @Body(body(putBundleSetBody)) b: z.output<typeof putBundleSetBody>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BundleSetView> {
    const { created, set } = await this.sets.put(p.name, b);
    res.status(created ? 201 : 200);
    return set;
  }

  @Get()
  list(@Query(query(listBundleSetsQuery)) q: z.output<typeof listBundleSetsQuery>): Promise<Page<BundleSetView>> {
    return this.sets.list(q);
  }

  @Get(':name')
  get(@Param(params(bundleSetNameParams)) p: { name: string }): Promise<BundleSetView> {
    return this.sets.get(p.name);
  }

  @Post(':name/approve')
  @HttpCode(202)
  approve(@Param(params(bundleSetNameParams)) p: { name: string }): Promise<BundleSetView> {
    return this.sets.approve(p.name);
  }

  @Post(':name/refresh')
  @HttpCode(202)
  refresh(@Param(params(bundleSetNameParams)) p: { name: string }): Promise<BundleSetView> {
    return this.sets.refresh(p.name);
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param(params(bundleSetNameParams)) p: { name: string }): Promise<void> {
    await this.sets.delete(p.name);
  }
}
