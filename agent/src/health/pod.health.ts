import type { HealthCheck, HealthResult } from './health.types.js';
import { field, findCondition, health, list, str } from './object-fields.js';

/**
 * Waiting reasons that mean the container will not start without a change:
 * CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError,
 * InvalidImageName, … (the Err*, *Error and *BackOff families gitops-engine uses).
 */
function isFailingWaitReason(reason: string): boolean {
  return (
    reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff') || reason === 'InvalidImageName'
  );
}

function containerStatuses(obj: unknown): unknown[] {
  return [...list(obj, 'status', 'initContainerStatuses'), ...list(obj, 'status', 'containerStatuses')];
}

/** A container stuck in a failing waiting state, whatever the pod phase. */
function stuckContainer(obj: unknown): HealthResult | undefined {
  for (const c of containerStatuses(obj)) {
    const reason = str(c, 'state', 'waiting', 'reason');
    if (reason && isFailingWaitReason(reason)) {
      const message = str(c, 'state', 'waiting', 'message');
      return health('Degraded', `container ${str(c, 'name') ?? '?'}: ${reason}${message ? `: ${message}` : ''}`);
    }
  }
  return undefined;
}

/** Why a failed pod failed: its own message, else the first terminated container with a reason or exit code. */
function failureMessage(obj: unknown): string {
  const message = str(obj, 'status', 'message');
  if (message) return message;
  for (const c of containerStatuses(obj)) {
    const terminated = field(c, 'state', 'terminated');
    const text = str(terminated, 'message') ?? str(terminated, 'reason');
    const code = field(terminated, 'exitCode');
    if (text) return `container ${str(c, 'name') ?? '?'}: ${text}`;
    if (typeof code === 'number' && code !== 0) return `container ${str(c, 'name') ?? '?'} exited with code ${code}`;
  }
  return 'Pod failed';
}

/**
 * Pod: phase first, then readiness. Unlike gitops-engine (which must not fail
 * sync hooks early) we report stuck containers as Degraded for every restart
 * policy: an image that cannot be pulled is a failure for a run-once pod too.
 */
export const podHealth: HealthCheck = {
  kinds: [{ group: '', kind: 'Pod' }],
  assess(obj) {
    const phase = str(obj, 'status', 'phase');
    const message = str(obj, 'status', 'message') ?? '';
    if (phase === 'Succeeded') return health('Healthy', message || 'Pod completed');
    if (phase === 'Failed') return health('Degraded', failureMessage(obj));
    const stuck = stuckContainer(obj);
    if (stuck) return stuck;
    if (phase === 'Pending' || phase === undefined) return health('Progressing', message || 'Pod is pending');
    if (phase !== 'Running') return health('Unknown', message || `Pod phase is ${phase}`);

    // Pods that run to completion are Progressing until they succeed.
    const restartPolicy = str(obj, 'spec', 'restartPolicy') ?? 'Always';
    if (restartPolicy !== 'Always') return health('Progressing', message || 'Pod is running');
    if (findCondition(obj, 'Ready')?.status === 'True') return health('Healthy', message || 'Pod is ready');
    // Not ready after a container already died: it is crash-looping between back-offs.
    const restarted = containerStatuses(obj).some((c) => field(c, 'lastState', 'terminated') !== undefined);
    if (restarted) return health('Degraded', message || 'Pod is not ready and a container has restarted');
    return health('Progressing', message || 'Pod is running but not ready');
  },
};
