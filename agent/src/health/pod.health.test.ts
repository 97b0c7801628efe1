import { describe, expect, it } from 'vitest';
import { podHealth } from './pod.health.js';

function pod(restartPolicy: string, status: Record<string, unknown>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7d9c-abcde', namespace: 'shop' },
    spec: { restartPolicy, nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx:1.27' }] },
    status,
  };
}

const ready = (s: 'True' | 'False') => [
  { type: 'PodScheduled', status: 'True' },
  { type: 'Initialized', status: 'True' },
  { type: 'ContainersReady', status: s },
  { type: 'Ready', status: s },
];

describe('podHealth', () => {
  it('is Healthy when Running and Ready', () => {
    const status = {
      phase: 'Running',
      conditions: ready('True'),
      containerStatuses: [{ name: 'web', ready: true, restartCount: 0, state: { running: { startedAt: '2025-05-04T10:00:00Z' } } }],
    };
    expect(podHealth.assess(pod('Always', status)).status).toBe('Healthy');
  });

  it('is Progressing when Pending or Running but not ready yet', () => {
    const pending = {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      containerStatuses: [{ name: 'web', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }],
    };
    expect(podHealth.assess(pod('Always', pending)).status).toBe('Progressing');
    const starting = { phase: 'Running', conditions: ready('False'), containerStatuses: [{ name: 'web', ready: false, state: { running: {} } }] };
    expect(podHealth.assess(pod('Always', starting)).status).toBe('Progressing');
  });

  it('is Degraded in CrashLoopBackOff', () => {
    const status = {
      phase: 'Running',
      conditions: ready('False'),
      containerStatuses: [
        {
          name: 'web',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=web' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
    };
    expect(podHealth.assess(pod('Always', status))).toEqual({
      status: 'Degraded',
      message: 'container web: CrashLoopBackOff: back-off 2m40s restarting failed container=web',
    });
  });

  it('is Degraded when an image cannot be pulled, even for a run-once pod', () => {
    const status = {
      phase: 'Pending',
      containerStatuses: [{ name: 'web', ready: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:nope"' } } }],
    };
    expect(podHealth.assess(pod('Never', status)).status).toBe('Degraded');
    const init = { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { waiting: { reason: 'ErrImagePull' } } }] };
    expect(podHealth.assess(pod('Always', init)).status).toBe('Degraded');
  });

  it('is Degraded when running, not ready, after a container died', () => {
    const status = {
      phase: 'Running',
      conditions: ready('False'),
      containerStatuses: [{ name: 'web', ready: false, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }],
    };
    expect(podHealth.assess(pod('Always', status)).status).toBe('Degraded');
  });

  it('treats a run-once pod as Progressing while it runs and Healthy once it succeeded', () => {
    expect(podHealth.assess(pod('Never', { phase: 'Running', conditions: ready('True') })).status).toBe('Progressing');
    const done = {
      phase: 'Succeeded',
      conditions: ready('False'),
      containerStatuses: [{ name: 'web', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    };
    expect(podHealth.assess(pod('Never', done)).status).toBe('Healthy');
  });

  it('is Degraded when Failed, with the reason', () => {
    const failed = {
      phase: 'Failed',
      containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 2, reason: 'Error' } } }],
    };
    expect(podHealth.assess(pod('Never', failed))).toEqual({ status: 'Degraded', message: 'container web: Error' });
    const evicted = { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' };
    expect(podHealth.assess(pod('Always', evicted)).message).toBe('The node was low on resource: memory.');
    const exit = { phase: 'Failed', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 3 } } }] };
    expect(podHealth.assess(pod('Never', exit)).message).toBe('container web exited with code 3');
  });

  it('is Unknown in phase Unknown (node lost)', () => {
    expect(podHealth.assess(pod('Always', { phase: 'Unknown' })).status).toBe('Unknown');
  });
});
