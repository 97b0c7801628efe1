import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { hookCompletion } from './hook-completion.js';

const job = (conditions: object[]): KubernetesObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, status: { conditions } }) as KubernetesObject;
const pod = (status: object, restartPolicy = 'Never'): KubernetesObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { restartPolicy }, status }) as KubernetesObject;

describe('hookCompletion', () => {
  it('needs a Job to be Complete; Failed or FailureTarget fail it', () => {
    expect(hookCompletion(job([]))).toMatchObject({ state: 'running' });
    expect(hookCompletion(job([{ type: 'Complete', status: 'True' }]))).toEqual({ state: 'succeeded' });
    expect(hookCompletion(job([{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }]))).toEqual({
      state: 'failed',
      message: 'Job was active longer than specified deadline',
    });
    expect(hookCompletion(job([{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded' }]))).toMatchObject({ state: 'failed' });
  });

  it('needs a Pod to have Succeeded (a ready pod is not done)', () => {
    expect(hookCompletion(pod({ phase: 'Succeeded' }))).toEqual({ state: 'succeeded' });
    expect(hookCompletion(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }, 'Always'))).toMatchObject({ state: 'running' });
    expect(hookCompletion(pod({ phase: 'Failed', message: 'boom' }))).toEqual({ state: 'failed', message: 'boom' });
  });

  it('takes other kinds as done once healthy', () => {
    expect(hookCompletion({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toEqual({ state: 'succeeded' });
  });
});
