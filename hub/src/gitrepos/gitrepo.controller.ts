import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { Public } from '../platform/http/access.js';
import { BodyLimit, RawBody } from '../platform/http/body-limit.js';
import type { Page } from '../platform/http/pagination.js';
import { body, params, query } from '../platform/http/zod.pipe.js';
import { gitRepoNameParams, listGitReposQuery, putGitRepoBody } from './gitrepo.api.js';
import { GitRepoService, type GitRepoView } from './gitrepo.service.js';
import { WebhookService, type WebhookResult } from './webhook.service.js';
import { WEBHOOK_BODY_LIMIT } from './webhooks/recognise-webhook.js';

@Controller('api/v1/gitrepos')
export class GitRepoController {
  constructor(@Inject(GitRepoService) private readonly repos: GitRepoService) {}

  @Put(':name')
  async put(
    @Param(params(gitRepoNameParams)) p: { name: string },
    @Body(body(putGitRepoBody)) b: z.output<typeof putGitRepoBody>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GitRepoView> {
    const { created, repo } = await this.repos.put(p.name, b);
    res.status(created ? 201 : 200);
    return repo;
  }

  @Get()
  list(@Query(query(listGitReposQuery)) q: z.output<typeof listGitReposQuery>): Promise<Page<GitRepoView>> {
    return this.repos.list(q);
  }

  @Get(':name')
  get(@Param(params(gitRepoNameParams)) p: { name: string }): Promise<GitRepoView> {
    return this.repos.get(p.name);
  }

  @Post(':name/refresh')
  @HttpCode(202)
  refresh(@Param(params(gitRepoNameParams)) p: { name: string }): Promise<GitRepoView> {
    return this.repos.refresh(p.name);
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param(params(gitRepoNameParams)) p: { name: string }): Promise<void> {
    await this.repos.delete(p.name);
  }
}

/** Push webhooks: no API token (Git servers cannot send one); each delivery is verified against GitRepo secrets. */
@Controller('api/v1/webhooks')
export class WebhookController {
  constructor(@Inject(WebhookService) private readonly webhooks: WebhookService) {}

  @Post('git')
  @Public()
  @RawBody('application/json', 'application/x-www-form-urlencoded')
  @BodyLimit(WEBHOOK_BODY_LIMIT)
  @HttpCode(202)
  receive(@Req() req: Request): Promise<WebhookResult> {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]));
    return this.webhooks.receive(headers, req.body as Buffer | undefined);
  }
}
