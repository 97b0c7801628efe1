import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { RenderProcessor } from './render.processor.js';
import { RenderService } from './render.service.js';

/** The `render` role: render jobs for directory bundles. */
@Module({
  imports: [DeliveryModule],
  providers: [RenderService, RenderProcessor],
})
export class RenderingModule {}
