import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';

/** The hub's only database handle: Prisma Client on the pure-JS pg adapter. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    super({
      adapter: new PrismaPg({ connectionString: config.databaseUrl }),
      // Prisma's 5 s default is too tight for a 20 MiB bundle write on a loaded machine.
      transactionOptions: { maxWait: 10_000, timeout: 60_000 },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
