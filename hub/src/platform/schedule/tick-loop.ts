import type { Logger } from '@nestjs/common';
import type { WakeSignal } from './wake-signal.js';

export interface TickLoopOptions {
  /**
   * Idle back-off: after a tick that handled nothing the next one waits twice
   * as long, up to this (ms); a tick that handled something, or a wake,
   * brings the period back. Default: the period (no back-off).
   */
  idleMaxMs?: number;
  /** Signals that end the back-off at once (work was stamped in this process). */
  wakeOn?: readonly WakeSignal[];
}

/**
 * Runs `tick` every `periodMs`, backing off to `idleMaxMs` while ticks find
 * nothing (an idle hub does not poll PostgreSQL several times a second), never
 * two at once (a tick called while one runs returns 0), and logs a failed tick
 * instead of throwing: the schedulers that read their work from PostgreSQL
 * simply try again at the next tick. Its timer is unref'd: it never keeps the
 * process alive.
 */
export class TickLoop {
  private timer?: NodeJS.Timeout;
  private dueAt = 0;
  private delay: number;
  private stopped = true;
  private running = false;
  private readonly idleMaxMs: number;
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly what: string,
    private readonly periodMs: number,
    private readonly tick: () => Promise<number>,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly options: TickLoopOptions = {},
  ) {
    this.idleMaxMs = Math.max(periodMs, options.idleMaxMs ?? periodMs);
    this.delay = periodMs;
  }

  start(): void {
    this.stopped = false;
    this.unsubscribe = (this.options.wakeOn ?? []).map((signal) => signal.subscribe(() => this.wake()));
    this.schedule(this.periodMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  /** Ends the idle back-off: the next tick runs within one period. */
  wake(): void {
    this.delay = this.periodMs;
    if (!this.stopped && this.timer !== undefined && this.dueAt - Date.now() > this.periodMs) this.schedule(this.periodMs);
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

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.dueAt = Date.now() + ms;
    this.timer = setTimeout(() => void this.timed(), ms);
    this.timer.unref();
  }

  private async timed(): Promise<void> {
    this.timer = undefined;
    const handled = await this.run();
    if (this.stopped) return;
    this.delay = handled > 0 ? this.periodMs : Math.min(this.delay * 2, this.idleMaxMs);
    this.schedule(this.delay);
  }
}
