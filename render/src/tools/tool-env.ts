import * as path from 'node:path';

/**
 * The environment a tool run gets: PATH, and HOME plus Helm's cache/config/data
 * homes under the run's own directory, so no user repository config, plugin,
 * registry login or proxy setting leaks into a render (pure).
 */
export function toolEnv(cwd: string, parentPath: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const home = path.join(cwd, '.home');
  return {
    PATH: parentPath ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: path.join(home, 'helm-cache'),
    HELM_CONFIG_HOME: path.join(home, 'helm-config'),
    HELM_DATA_HOME: path.join(home, 'helm-data'),
    // No cluster: `helm template` must never reach one.
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
    ...extra,
  };
}

/** The directories of {@link toolEnv} that must exist before the run. */
export function toolEnvDirs(env: Record<string, string>): string[] {
  return [env.HOME, env.HELM_CACHE_HOME, env.HELM_CONFIG_HOME, env.HELM_DATA_HOME].filter((d): d is string => Boolean(d));
}
