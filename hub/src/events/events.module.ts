import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { EventStreamController } from './event-stream.controller.js';
import { EventStreams } from './event-stream.service.js';
import { WebhookController } from './webhooks/webhook.controller.js';
import { WEBHOOK_QUEUE, WebhookDispatcher } from './webhooks/webhook.dispatcher.js';
import { WebhookProcessor } from './webhooks/webhook.processor.js';
import { WebhookService } from './webhooks/webhook.service.js';

/** The fleet event log's readers: the live stream (SSE), its history, and webhook subscriptions with their deliveries. */
@Module({
  imports: [BullModule.registerQueue({ name: WEBHOOK_QUEUE })],
  controllers: [EventStreamController, WebhookController],
  providers: [EventStreams, WebhookService, WebhookDispatcher, WebhookProcessor],
  exports: [EventStreams],
})
export class EventsModule {}
