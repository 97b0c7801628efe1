import type { ReportStatusRequest } from '@flotilla/proto';
import { stateName } from '@flotilla/core';
import { DomainError } from '../platform/errors/domain-error.js';

/** Upper bounds that keep one agent from flooding the hub's database. */
export const REPORT_LIMITS = { deployments: 1000, resourcesPerDeployment: 5000, message: 4096 } as const;

/** Rejects malformed status reports with the offending field named. */
export function validateReport(request: ReportStatusRequest): void {
  if (request.deployments.length > REPORT_LIMITS.deployments) {
    bad(`at most ${REPORT_LIMITS.deployments} deployments per report`, 'deployments');
  }
  request.deployments.forEach((d, i) => {
    const at = `deployments[${i}]`;
    if (!d.deploymentId) bad('deployment_id is required', `${at}.deployment_id`);
    if (stateName(d.state) === undefined) bad(`state ${d.state} is not a known DeploymentState`, `${at}.state`);
    if (d.message.length > REPORT_LIMITS.message) bad(`message longer than ${REPORT_LIMITS.message} characters`, `${at}.message`);
    if (d.resources.length > REPORT_LIMITS.resourcesPerDeployment) {
      bad(`at most ${REPORT_LIMITS.resourcesPerDeployment} resources per deployment`, `${at}.resources`);
    }
  });
}

function bad(message: string, field: string): never {
  throw new DomainError('ValidationFailed', message, { field });
}
