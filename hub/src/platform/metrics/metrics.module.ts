import { Global, Module } from '@nestjs/common';
import { HubMetrics } from './metrics.js';

@Global()
@Module({ providers: [{ provide: HubMetrics, useValue: new HubMetrics() }], exports: [HubMetrics] })
export class MetricsModule {}
