import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { z } from 'zod';
import { bundleNameParams } from '../bundles/bundle.api.js';
import { body, params, query } from '../platform/http/zod.pipe.js';
import { gitRepoNameParams, historyQuery, promoteBody, rollbackBody } from './rollout.api.js';
import { RolloutService } from './rollout.service.js';

type Name = { name: string };

@Controller('api/v1')
export class RolloutController {
  constructor(@Inject(RolloutService) private readonly rollouts: RolloutService) {}

  @Get('bundles/:name/rollout')
  get(@Param(params(bundleNameParams)) p: Name) {
    return this.rollouts.get(p.name);
  }

  @Get('bundles/:name/rollouts')
  history(@Param(params(bundleNameParams)) p: Name, @Query(query(historyQuery)) q: z.output<typeof historyQuery>) {
    return this.rollouts.history(p.name, q);
  }

  @Post('bundles/:name/rollout/pause')
  @HttpCode(200)
  pause(@Param(params(bundleNameParams)) p: Name) {
    return this.rollouts.setPaused(p.name, true);
  }

  @Post('bundles/:name/rollout/resume')
  @HttpCode(200)
  resume(@Param(params(bundleNameParams)) p: Name) {
    return this.rollouts.setPaused(p.name, false);
  }

  @Post('bundles/:name/rollout/promote')
  @HttpCode(200)
  promote(@Param(params(bundleNameParams)) p: Name, @Body(body(promoteBody)) b: z.output<typeof promoteBody>) {
    return this.rollouts.promote(p.name, b.partition);
  }

  @Post('bundles/:name/rollout/rollback')
  @HttpCode(200)
  rollback(@Param(params(bundleNameParams)) p: Name, @Body(body(rollbackBody)) b: z.output<typeof rollbackBody>) {
    return this.rollouts.rollback(p.name, b.to, b.until);
  }

  @Post('bundles/:name/rollout/unpin')
  @HttpCode(200)
  unpin(@Param(params(bundleNameParams)) p: Name) {
    return this.rollouts.unpin(p.name);
  }

  @Post('gitrepos/:name/rollout/pause')
  @HttpCode(204)
  async pauseGitRepo(@Param(params(gitRepoNameParams)) p: Name): Promise<void> {
    await this.rollouts.setGitRepoPaused(p.name, true);
  }

  @Post('gitrepos/:name/rollout/resume')
  @HttpCode(204)
  async resumeGitRepo(@Param(params(gitRepoNameParams)) p: Name): Promise<void> {
    await this.rollouts.setGitRepoPaused(p.name, false);
  }
}
