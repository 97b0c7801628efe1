import { DeploymentState, type DeploymentStatus, type ResourceStatus } from '@flotilla/proto';
import { describe, expect, it } from 'vitest';
import { REPORT_LIMITS, validateAgentVersion, validateReport } from './report.validation.js';

const REVISION = `sha256:${'ab'.repeat(32)}`;
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const status = (fields: Partial<DeploymentStatus> = {}): DeploymentStatus => ({
  deploymentId: id(1),
  appliedRevision: REVISION,
  state: DeploymentState.DEPLOYMENT_STATE_READY,
  reason: 'Ready',
  message: '',
  resources: [],
  ...fields,
});

const resource = (fields: Partial<ResourceStatus> = {}): ResourceStatus => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'shop',
  name: 'settings',
  state: DeploymentState.DEPLOYMENT_STATE_MODIFIED,
  message: '',
  diffs: [],
  ...fields,
});

const report = (...deployments: DeploymentStatus[]) => ({ deployments });

/** The DomainError a report is rejected with. */
function rejection(request: { deployments: DeploymentStatus[] }) {
  try {
    validateReport(request);
  } catch (error) {
    return error as { reason: string; field: string; message: string };
  }
  throw new Error('expected the report to be rejected');
}

describe('validateReport', () => {
  it.each([DeploymentState.DEPLOYMENT_STATE_READY, DeploymentState.DEPLOYMENT_STATE_ERR_APPLIED])('accepts the known state %i', (state) => {
    expect(() => validateReport(report(status({ state })))).not.toThrow();
  });

  it.each([DeploymentState.DEPLOYMENT_STATE_UNSPECIFIED, DeploymentState.UNRECOGNIZED, 8 as DeploymentState])('rejects state %i', (state) => {
    expect(rejection(report(status({ state })))).toMatchObject({ reason: 'ValidationFailed', field: 'deployments[0].state' });
  });

  it('accepts a full report within every bound', () => {
    const diffs = Array.from({ length: REPORT_LIMITS.diffsPerResource }, (_, i) => ({ path: `/data/k${i}`, desired: '"a"', live: '"b"' }));
    const resources = Array.from({ length: 10 }, (_, i) => resource({ name: `cm-${i}`, diffs, message: 'm'.repeat(REPORT_LIMITS.resourceMessage * 2) }));
    const deployments = Array.from({ length: REPORT_LIMITS.deployments }, (_, i) => status({ deploymentId: id(i), resources: i === 0 ? resources : [] }));
    expect(() => validateReport({ deployments })).not.toThrow();
    expect(() => validateReport(report(status({ appliedRevision: '', reason: 'r'.repeat(REPORT_LIMITS.reason) })))).not.toThrow();
  });

  it('rejects duplicate deployment ids, naming the first copy', () => {
    const deployments = Array.from({ length: 1000 }, () => status());
    expect(rejection({ deployments })).toMatchObject({
      reason: 'ValidationFailed',
      field: 'deployments[1].deployment_id',
      message: `deployment_id ${id(1)} is reported twice (first at deployments[0]); report each deployment once`,
    });
  });

  it('rejects more deployments than the bound', () => {
    const deployments = Array.from({ length: REPORT_LIMITS.deployments + 1 }, (_, i) => status({ deploymentId: id(i) }));
    expect(rejection({ deployments })).toMatchObject({ field: 'deployments', message: `at most ${REPORT_LIMITS.deployments} deployments per report (got 1001)` });
  });

  it('rejects an oversized reason, with the limit in the message', () => {
    expect(rejection(report(status({ reason: 'x'.repeat(REPORT_LIMITS.reason + 1) })))).toMatchObject({
      field: 'deployments[0].reason',
      message: `reason is longer than ${REPORT_LIMITS.reason} characters (1025)`,
    });
  });

  it.each(['r1', 'sha256:abc', `sha256:${'AB'.repeat(32)}`, `${REVISION} `])('rejects applied_revision %j that is not a revision digest', (appliedRevision) => {
    expect(rejection(report(status({ appliedRevision })))).toMatchObject({
      field: 'deployments[0].applied_revision',
      message: `applied_revision must be empty or sha256:<64 hex digits>, got ${JSON.stringify(appliedRevision.slice(0, 80))}`,
    });
  });

  it('rejects too many resources, too many diffs and oversized structural fields', () => {
    const many = Array.from({ length: REPORT_LIMITS.resourcesPerDeployment + 1 }, () => resource());
    expect(rejection(report(status({ resources: many })))).toMatchObject({ field: 'deployments[0].resources' });
    const diffs = Array.from({ length: REPORT_LIMITS.diffsPerResource + 1 }, () => ({ path: '/a', desired: '1', live: '2' }));
    expect(rejection(report(status({ resources: [resource(), resource({ diffs })] })))).toMatchObject({
      field: 'deployments[0].resources[1].diffs',
      message: `at most ${REPORT_LIMITS.diffsPerResource} diffs per resource (got ${REPORT_LIMITS.diffsPerResource + 1})`,
    });
    const path = `/${'p'.repeat(REPORT_LIMITS.diffPath)}`;
    expect(rejection(report(status({ resources: [resource({ diffs: [{ path, desired: '', live: '' }] })] })))).toMatchObject({
      field: 'deployments[0].resources[0].diffs[0].path',
    });
    expect(rejection(report(status({ resources: [resource({ name: 'n'.repeat(REPORT_LIMITS.objectField + 1) })] })))).toMatchObject({
      field: 'deployments[0].resources[0].name',
    });
    expect(rejection(report(status({ deploymentId: 'i'.repeat(REPORT_LIMITS.deploymentId + 1) })))).toMatchObject({ field: 'deployments[0].deployment_id' });
  });

  it.each([
    ['deployments[0].deployment_id', status({ deploymentId: `${id(1)}\u0000` })],
    ['deployments[0].reason', status({ reason: 'Bad\u0000' })],
    ['deployments[0].message', status({ message: 'a\u0000b' })],
    ['deployments[0].applied_revision', status({ appliedRevision: `${REVISION}\u0000` })],
    ['deployments[0].resources[0].kind', status({ resources: [resource({ kind: 'Config\u0000Map' })] })],
    ['deployments[0].resources[0].message', status({ resources: [resource({ message: '\u0000' })] })],
    ['deployments[0].resources[0].diffs[0].path', status({ resources: [resource({ diffs: [{ path: '/a\u0000', desired: '', live: '' }] })] })],
    ['deployments[0].resources[0].diffs[0].live', status({ resources: [resource({ diffs: [{ path: '/a', desired: '', live: '"\u0000"' }] })] })],
  ])('rejects a NUL character in %s', (field, deployment) => {
    expect(rejection(report(deployment))).toMatchObject({ reason: 'ValidationFailed', field, message: `${field.split('.').at(-1)} contains a NUL character (\\u0000)` });
  });
});

describe('validateAgentVersion', () => {
  it('accepts a version and the empty string', () => {
    expect(() => validateAgentVersion('0.1.0+abc')).not.toThrow();
    expect(() => validateAgentVersion('')).not.toThrow();
  });
  it('rejects a NUL character and an oversized version', () => {
    expect(() => validateAgentVersion('0.1\u0000')).toThrow(expect.objectContaining({ reason: 'ValidationFailed', field: 'agent_version' }));
    expect(() => validateAgentVersion('v'.repeat(REPORT_LIMITS.agentVersion + 1))).toThrow(
      expect.objectContaining({ field: 'agent_version', message: `agent_version is longer than ${REPORT_LIMITS.agentVersion} characters (65)` }),
    );
  });
});
