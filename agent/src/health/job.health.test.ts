import { describe, expect, it } from 'vitest';
import { jobHealth } from './job.health.js';

function job(spec: Record<string, unknown>, status: Record<string, unknown>) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'shop', generation: 1 },
    spec: {
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      suspend: false,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'migrate:1' }] } },
      ...spec,
    },
    status,
  };
}

const t = '2025-05-04T10:00:00Z';

describe('jobHealth', () => {
  it('is Progressing while pods run', () => {
    expect(jobHealth.assess(job({}, { active: 1, ready: 0, startTime: t }))).toEqual({
      status: 'Progressing',
      message: '1 active, 0 of 1 succeeded',
    });
  });

  it('is Healthy once Complete', () => {
    const status = {
      succeeded: 1,
      completionTime: t,
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
      ],
    };
    expect(jobHealth.assess(job({}, status)).status).toBe('Healthy');
  });

  it('is Degraded once Failed, or as soon as it is bound to fail (FailureTarget)', () => {
    const failed = { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    expect(jobHealth.assess(job({}, { failed: 7, conditions: [failed] }))).toEqual({
      status: 'Degraded',
      message: 'Job has reached the specified backoff limit',
    });
    const target = { ...failed, type: 'FailureTarget' };
    expect(jobHealth.assess(job({}, { active: 1, conditions: [target] })).status).toBe('Degraded');
  });

  it('is Suspended when suspended, by spec or condition, but not after a resume', () => {
    expect(jobHealth.assess(job({ suspend: true }, {})).status).toBe('Suspended');
    const suspended = { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' };
    expect(jobHealth.assess(job({}, { conditions: [suspended] })).status).toBe('Suspended');
    const resumed = { ...suspended, status: 'False', reason: 'JobResumed' };
    expect(jobHealth.assess(job({}, { active: 1, conditions: [resumed] })).status).toBe('Progressing');
  });
});
