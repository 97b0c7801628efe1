import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { pageQueryFields } from '../../platform/http/pagination.js';
import { body, params, query } from '../../platform/http/zod.pipe.js';
import { z } from 'zod';
import { deliveriesQuery, putWebhookBody, webhookNameParams } from './webhook.api.js';
import { WebhookService, type WebhookView } from './webhook.service.js';

const listQuery = z.strictObject({ ...pageQueryFields });
type Name = { name: string };

@Controller('api/v1/webhooks')
export class WebhookController {
  constructor(@Inject(WebhookService) private readonly webhooks: WebhookService) {}

  @Put(':name')
  async put(@Param(params(webhookNameParams)) p: Name, @Body(body(putWebhookBody)) b: z.output<typeof putWebhookBody>, @Res({ passthrough: true }) res: Response): Promise<WebhookView> {
    const { created, webhook } = await this.webhooks.put(p.name, b);
    res.status(created ? 201 : 200);
    return webhook;
  }

  @Get()
  list(@Query(query(listQuery)) q: z.output<typeof listQuery>) {
    return this.webhooks.list(q);
  }

  @Get(':name')
  get(@Param(params(webhookNameParams)) p: Name) {
    return this.webhooks.get(p.name);
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param(params(webhookNameParams)) p: Name): Promise<void> {
    await this.webhooks.delete(p.name);
  }

  @Get(':name/deliveries')
  deliveries(@Param(params(webhookNameParams)) p: Name, @Query(query(deliveriesQuery)) q: z.output<typeof deliveriesQuery>) {
    return this.webhooks.deliveries(p.name, q.state, q);
  }
}
