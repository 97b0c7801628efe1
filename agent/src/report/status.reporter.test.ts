import { DeploymentState, type DeploymentStatus } from '@flotilla/proto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log/logger.js';
import { StatusReporter } from './status.reporter.js';

const status = (id: string, state: DeploymentState = DeploymentState.DEPLOYMENT_STATE_READY): DeploymentStatus => ({
  deploymentId: id,
  appliedRevision: 'sha256:a',
  state,
  reason: '',
  message: '',
  resources: [],
});

describe('StatusReporter', () => {
  let sent: string[][];
  let fail: boolean;
  let reporter: StatusReporter;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    fail = false;
    reporter = new StatusReporter({
      send: async (batch) => {
        if (fail) throw new Error('UNAVAILABLE');
        sent.push(batch.map((s) => s.deploymentId));
      },
      logger: createLogger('error', {}, () => undefined),
      debounceMs: 100,
      intervalMs: 60_000,
      batchSize: 2,
    });
    reporter.start();
  });
  afterEach(() => {
    reporter.stop();
    vi.useRealTimers();
  });

  it('batches changes after a debounce, only while online', async () => {
    reporter.update(status('a'));
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toEqual([]);

    reporter.setOnline(true);
    reporter.update(status('b'));
    reporter.update(status('c'));
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([['a', 'b'], ['c']]);
  });

  it('sends only what changed, and everything again periodically and on reconnect', async () => {
    reporter.setOnline(true);
    reporter.update(status('a'));
    reporter.update(status('b'));
    await vi.advanceTimersByTimeAsync(100);
    sent = [];

    reporter.update(status('a'));
    reporter.update(status('b', DeploymentState.DEPLOYMENT_STATE_MODIFIED));
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([['b']]);

    sent = [];
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toEqual([['a', 'b']]);

    sent = [];
    reporter.setOnline(false);
    reporter.setOnline(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([['a', 'b']]);
  });

  it('keeps failed statuses for the next attempt and forgets removed deployments', async () => {
    reporter.setOnline(true);
    fail = true;
    reporter.update(status('a'));
    reporter.update(status('gone'));
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([]);

    fail = false;
    reporter.remove('gone');
    reporter.update(status('a', DeploymentState.DEPLOYMENT_STATE_NOT_READY));
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([['a']]);
    expect(reporter.current().map((s) => s.deploymentId)).toEqual(['a']);
  });
});
