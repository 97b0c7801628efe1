import type { DeploymentOptions } from '../fleet-yaml/fleet-yaml.types.js';
import type { RenderInput } from './renderer.types.js';

/** `helm.releaseName`, else the bundle name (pure). */
export function helmReleaseName(input: Pick<RenderInput, 'bundleName' | 'options'>): string {
  return input.options.helm?.releaseName || input.bundleName;
}

/** The release namespace: `namespace`, else `defaultNamespace`, else `default` (Fleet's `GetDeploymentNS`; pure). */
export function helmNamespace(options: DeploymentOptions): string {
  return options.namespace || options.defaultNamespace || 'default';
}
