import type { DeploymentDetail, FieldDiff, ResourceStatus } from '../hub/hub-api.types.js';

/** The objects of a deployment that drifted: those with at least one field diff. */
export function driftedResources(deployment: DeploymentDetail): ResourceStatus[] {
  return deployment.resources.filter((r) => r.diffs.length > 0);
}

/**
 * The drift of one deployment as a person reads it: a heading with the
 * deployment's state, then per drifted object `Kind namespace/name (State)`
 * and one line per field, `path: desired → live`. Values are the agent's
 * JSON text; a side that is absent prints as `(absent)`, the whole object
 * (path `''`) as `(object)`.
 */
export function formatDeploymentDiff(deployment: DeploymentDetail): string {
  const drifted = driftedResources(deployment);
  const given = deployment.desiredRevision ?? 'not deployed yet';
  const revision = deployment.appliedRevision === deployment.desiredRevision ? given : `${given}, applied ${deployment.appliedRevision ?? 'none'}`;
  const lines = [`bundle ${deployment.bundleName} on cluster ${deployment.clusterName}: ${deployment.state} (revision ${revision})`];
  if (deployment.reportedAt === null) lines.push('the agent has not reported this deployment yet: no drift known');
  else if (drifted.length === 0) lines.push(`no drift: ${deployment.resources.length} object(s) as desired`);
  for (const resource of drifted) {
    lines.push(`${objectName(resource)} (${resource.state})`);
    for (const diff of resource.diffs) lines.push(`  ${formatFieldDiff(diff)}`);
  }
  return `${lines.join('\n')}\n`;
}

function objectName(r: ResourceStatus): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function formatFieldDiff(d: FieldDiff): string {
  const side = (json: string) => (json === '' ? '(absent)' : json);
  return `${d.path === '' ? '(object)' : d.path}: ${side(d.desired)} → ${side(d.live)}`;
}
