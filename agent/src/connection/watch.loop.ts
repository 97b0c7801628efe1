import { status, type ServiceError } from '@grpc/grpc-js';
import type { DesiredState, SessionInfo, WatchResponse } from '@flotilla/proto';
import { messageOf } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { AGENT_VERSION } from '../version.js';
import { Backoff } from './backoff.js';
import { CREDENTIAL_SECRET } from './credential.store.js';
import type { HubClient } from './hub.client.js';
import { hubFailure } from './hub-failure.js';
import { sleep } from './sleep.js';

export interface WatchLoopHandlers {
  /** The stream is up (SessionInfo received). */
  onConnected(session: SessionInfo): void;
  /** A new desired state; the next one is delivered after this resolves. */
  onDesiredState(state: DesiredState): Promise<void>;
  /** The stream ended (hub unreachable, restarted, or credential rejected). */
  onDisconnected(): void;
}

export interface WatchLoopOptions {
  hub: HubClient;
  /** The current credential (re-read after a rejection: an operator may have replaced the Secret). */
  credential: () => Promise<string | undefined>;
  /** Generation of the desired state the agent holds (`''` for none). */
  knownGeneration: () => string;
  handlers: WatchLoopHandlers;
  logger: Logger;
  reconnectMaxMs: number;
  rejectedRetryMs: number;
}

/**
 * Keeps one Watch stream open to the hub. UNAVAILABLE and any other failure
 * reconnect with the same credential after an exponential backoff with full
 * jitter; a stream that got as far as SessionInfo resets the backoff. A
 * rejected credential (UNAUTHENTICATED) is not a network problem: retrying
 * fast cannot fix it, so the agent says what to do and retries slowly.
 * Sends Heartbeats only when SessionInfo asks for them (a non-zero interval;
 * this hub sends 0: the open stream itself keeps the cluster online).
 */
export class WatchLoop {
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private running: Promise<void> | undefined;

  constructor(private readonly options: WatchLoopOptions) {
    this.backoff = new Backoff({ initialMs: 500, maxMs: options.reconnectMaxMs });
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { logger } = this.options;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      const credential = await this.options.credential().catch(() => undefined);
      if (!credential) {
        logger.error(`no cluster credential in Secret ${CREDENTIAL_SECRET}; restart the agent with a registration token issued for this cluster (or a new one if it was deregistered) to register again`);
        await sleep(this.options.rejectedRetryMs, signal);
        continue;
      }
      const ended = await this.watchOnce(credential);
      if (signal.aborted) break;
      this.options.handlers.onDisconnected();
      if (ended.code === status.UNAUTHENTICATED) {
        logger.error(
          `the hub rejected the cluster credential (${ended.details}). The cluster was revoked or registered again elsewhere: ` +
            `delete Secret ${CREDENTIAL_SECRET} and restart the agent with a registration token issued for this cluster ` +
            '(POST /api/v1/registration-tokens with its clusterId; an unbound token cannot re-attach it). ' +
            'Meanwhile the agent keeps enforcing its last desired state',
          { reason: ended.reason, retryInSeconds: this.options.rejectedRetryMs / 1000 },
        );
        await sleep(this.options.rejectedRetryMs, signal);
        continue;
      }
      if (ended.sessionStarted) this.backoff.reset();
      const delay = this.backoff.next();
      logger.warn('hub connection lost; reconnecting', { code: status[ended.code] ?? ended.code, details: ended.details, reason: ended.reason, retryInMs: delay });
      await sleep(delay, signal);
    }
  }

  private watchOnce(credential: string): Promise<{ code: number; details: string; reason?: string; sessionStarted: boolean }> {
    const { hub, handlers, logger } = this.options;
    return new Promise((resolve) => {
      const call = hub.watch(credential, AGENT_VERSION, this.options.knownGeneration());
      let sessionStarted = false;
      let heartbeat: NodeJS.Timeout | undefined;
      let delivery = Promise.resolve();
      const onAbort = () => call.cancel();
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
      const finish = (code: number, details: string, reason?: string) => {
        clearInterval(heartbeat);
        this.abort.signal.removeEventListener('abort', onAbort);
        // Let a desired state in delivery finish before reporting the disconnect.
        void delivery.then(() => resolve({ code, details, reason, sessionStarted }));
      };
      call.on('data', (message: WatchResponse) => {
        const event = message.event;
        if (event?.$case === 'session') {
          sessionStarted = true;
          clearInterval(heartbeat);
          heartbeat = undefined;
          const seconds = event.value.heartbeatIntervalSeconds;
          if (seconds > 0) {
            heartbeat = setInterval(() => {
              hub.heartbeat(credential, AGENT_VERSION).catch((error: unknown) => logger.debug('heartbeat failed', { error: messageOf(error) }));
            }, seconds * 1000);
          }
          logger.info('connected to the hub', { clusterId: event.value.clusterId, clusterName: event.value.clusterName });
          handlers.onConnected(event.value);
        } else if (event?.$case === 'desiredState') {
          const state = event.value;
          delivery = delivery.then(() =>
            handlers.onDesiredState(state).catch((error: unknown) => logger.error('handling the desired state failed', { error: messageOf(error) })),
          );
        }
      });
      call.on('error', (error: ServiceError) => finish(error.code, error.details, hubFailure(error).reason));
      call.on('end', () => finish(status.OK, 'stream ended by the hub'));
    });
  }
}
