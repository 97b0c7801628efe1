import { Module } from '@nestjs/common';
import { ClusterEventBus } from './cluster-events.bus.js';

@Module({ providers: [ClusterEventBus], exports: [ClusterEventBus] })
export class ClusterEventsModule {}
