/**
 * What a failed `helm dependency update` means, for people (pure). helm reports
 * an unreachable repository on stdout ("Unable to get an update from the …
 * chart repository (URL)") and then fails later with a vaguer message on
 * stderr, so both are read to name the dependency and its repository.
 */
import * as path from 'node:path';
import { RenderError } from '../render.error.js';
import { stderrMessage } from '../tools/tool-stderr.rules.js';
import { dependencyLocation, describeChart, type ChartPlace, type DeclaredDependency } from './chart-dependencies.rules.js';

export interface DependencyRun {
  stdout: string;
  stderr: string;
}

/** `…Unable to get an update from the "<name or URL>" chart repository[ (<URL>)]:\n\t<why>` (helm's repo refresh). */
const UNABLE = /Unable to get an update from the "([^"]*)" chart repository(?: \(([^)\s]+)\))?:[ \t]*\n?[ \t]*([^\n]+)/g;

const normal = (url: string) => url.trim().replace(/\/+$/, '');

export function dependencyUpdateFailure(run: DependencyRun, chartName: string, place: ChartPlace, deps: readonly DeclaredDependency[]): RenderError {
  const chart = describeChart(chartName, place);
  const helmSays = stderrMessage(run.stderr) || 'helm dependency update failed';
  const remote = deps.filter((d) => /^(https?|oci):\/\//i.test(d.repository));
  for (const [, name, url, why] of run.stdout.matchAll(UNABLE)) {
    const dep = remote.find((d) => normal(d.repository) === normal(url ?? name ?? ''));
    if (dep) return failure(dep, chart, place, `its repository index cannot be fetched: ${why?.trim() ?? ''}`);
  }
  const named = remote.find((d) => run.stderr.includes(normal(d.repository)));
  if (named) return failure(named, chart, place, helmSays);
  const first = remote[0];
  if (remote.length === 1 && first) return failure(first, chart, place, helmSays);
  return new RenderError('ChartFetchFailed', `cannot fetch the dependencies of ${chart}: ${helmSays}`, 'fetched' in place ? { field: 'helm.chart' } : { file: path.posix.join(place.inBundle, 'Chart.yaml') });
}

function failure(dep: DeclaredDependency, chart: string, place: ChartPlace, detail: string): RenderError {
  return new RenderError('ChartFetchFailed', `cannot fetch dependency "${dep.name}" (version "${dep.version}") of ${chart} from ${dep.repository}: ${detail}`, dependencyLocation(dep, place));
}
