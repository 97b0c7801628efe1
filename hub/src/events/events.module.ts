import { Module } from '@nestjs/common';
import { EventStreamController } from './event-stream.controller.js';
import { EventStreams } from './event-stream.service.js';

/** The fleet event log's readers: the live stream (SSE) and its history. */
@Module({ controllers: [EventStreamController], providers: [EventStreams], exports: [EventStreams] })
export class EventsModule {}
