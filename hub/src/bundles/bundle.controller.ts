import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { z } from 'zod';
import type { Page } from '../platform/http/pagination.js';
import { BodyLimit, BUNDLE_BODY_LIMIT } from '../platform/http/body-limit.js';
import { body, params, query } from '../platform/http/zod.pipe.js';
import { bundleNameParams, listBundlesQuery, putBundleBody } from './bundle.api.js';
import { BundleService, type BundleView } from './bundle.service.js';

@Controller('api/v1/bundles')
export class BundleController {
  constructor(@Inject(BundleService) private readonly bundles: BundleService) {}

  @Put(':name')
  // Bundles carry their rendered manifests; 20 MiB bundles are a supported case.
  @BodyLimit(BUNDLE_BODY_LIMIT)
  async put(
    @Param(params(bundleNameParams)) p: { name: string },
    @Body(body(putBundleBody)) b: z.output<typeof putBundleBody>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BundleView> {
    const { created, bundle } = await this.bundles.put(p.name, b);
    res.status(created ? 201 : 200);
    return bundle;
  }

  @Get()
  list(@Query(query(listBundlesQuery)) q: z.output<typeof listBundlesQuery>): Promise<Page<BundleView>> {
    return this.bundles.list({ namePrefix: q.namePrefix }, q);
  }

  @Get(':name')
  get(@Param(params(bundleNameParams)) p: { name: string }): Promise<BundleView> {
    return this.bundles.get(p.name);
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param(params(bundleNameParams)) p: { name: string }): Promise<void> {
    await this.bundles.delete(p.name);
  }
}
