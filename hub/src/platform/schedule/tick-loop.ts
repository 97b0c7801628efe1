import type { Logger } from '@nestjs/common';

/**
 * Runs `tick` every `periodMs` (unref'd: it never keeps the process alive),
 * never two at once (a slow tick skips the ticks it overlaps), and logs a
 * failed tick instead of throwing: the schedulers that read their work from
 * PostgreSQL simply try again at the next tick.
 */
export class TickLoop {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly what: string,
    private readonly periodMs: number,
    private readonly tick: () => Promise<number>,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One tick now (tests call it); resolves with what it handled, 0 when one was already running or it failed. */
  async run(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      return await this.tick();
    } catch (error) {
      this.logger.warn(`${this.what} failed: ${(error as Error).message}`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}
