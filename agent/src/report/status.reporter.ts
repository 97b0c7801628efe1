import type { DeploymentStatus } from '@flotilla/proto';
import { hubFailure } from '../connection/hub-failure.js';
import { messageOf } from '../errors.js';
import type { Logger } from '../log/logger.js';

export interface StatusReporterOptions {
  /** Sends one batch; rejects when the hub did not take it. */
  send: (statuses: DeploymentStatus[]) => Promise<void>;
  logger: Logger;
  /** Changes within this window go in one report. Default 1000 ms. */
  debounceMs?: number;
  /** Every status is re-sent this often, changed or not. */
  intervalMs: number;
  /** Statuses per ReportStatus call. Default 100. */
  batchSize?: number;
}

/**
 * Sends deployment statuses to the hub: changes batched after a short
 * debounce, everything again periodically and after every reconnect (so a
 * hub that restarted or lost a report catches up). Only the latest status of
 * each deployment is kept: nothing piles up while the hub is away.
 */
export class StatusReporter {
  private readonly latest = new Map<string, DeploymentStatus>();
  private readonly sent = new Map<string, string>();
  private online = false;
  private timer: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly options: StatusReporterOptions) {}

  start(): void {
    this.interval = setInterval(() => this.resendAll(), this.options.intervalMs);
    this.interval.unref();
  }

  stop(): void {
    clearInterval(this.interval);
    clearTimeout(this.timer);
  }

  update(status: DeploymentStatus): void {
    this.latest.set(status.deploymentId, status);
    this.schedule();
  }

  remove(deploymentId: string): void {
    this.latest.delete(deploymentId);
    this.sent.delete(deploymentId);
  }

  setOnline(online: boolean): void {
    this.online = online;
    if (online) this.resendAll();
  }

  /** The statuses held now (tests, debugging). */
  current(): DeploymentStatus[] {
    return [...this.latest.values()];
  }

  private resendAll(): void {
    this.sent.clear();
    this.schedule();
  }

  private schedule(): void {
    if (!this.online || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.debounceMs ?? 1000);
  }

  private async flush(): Promise<void> {
    if (this.flushing) {
      await this.flushing;
      return this.schedule();
    }
    this.flushing = this.sendChanged().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async sendChanged(): Promise<void> {
    const changed = [...this.latest.values()]
      .map((s) => ({ status: s, json: JSON.stringify(s) }))
      .filter(({ status, json }) => this.sent.get(status.deploymentId) !== json);
    const size = this.options.batchSize ?? 100;
    for (let i = 0; i < changed.length && this.online; i += size) {
      const batch = changed.slice(i, i + size);
      try {
        await this.options.send(batch.map((b) => b.status));
        this.options.logger.debug('statuses reported', { count: batch.length });
        for (const { status, json } of batch) this.sent.set(status.deploymentId, json);
      } catch (error) {
        const { code, reason } = hubFailure(error);
        this.options.logger.warn('reporting statuses failed; they are sent again after reconnecting', { error: messageOf(error), code, reason });
        return;
      }
    }
  }
}
