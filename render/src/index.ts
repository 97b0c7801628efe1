/**
 * @flotilla/render: bundle discovery and rendering, one implementation for the
 * hub's render workers and the flotilla CLI.
 */
export * from './render.error.js';
export * from './bundle/bundle-source.types.js';
export * from './customize/cluster-context.types.js';
export * from './fleet-yaml/fleet-yaml.types.js';
export * from './renderers/renderer.types.js';
export * from './tools/tool-set.types.js';
export * from './render-bundle.js';
export * from './customize/customize-for-cluster.js';
export * from './customize/cluster-match.js';
export * from './templating/evaluate-template.js';
export * from './templating/template.types.js';
export { templateFunctions } from './templating/functions/function.registry.js';
export * from './tools/tool-runner.js';
export type { ToolExecutor, ToolExit, ToolRun } from './tools/tool-exec.js';
export { execToolHere } from './tools/tool-exec.js';
export { ToolHost } from './tools/tool-host.client.js';
export * from './tools/resolve-tool-set.js';
export * from './overlays/apply-overlays.js';
export * from './renderers/bundle-kind.rules.js';
export * from './renderers/renderer.registry.js';
export * from './renderers/render-files.js';
export * from './fleet-yaml/fleet-yaml.schema.js';
export * from './fleet-yaml/fleet-yaml.parser.js';
export * from './naming/bundle-name.rules.js';
export * from './discovery/bundle-limits.js';
export * from './discovery/fleetignore.rules.js';
export * from './discovery/bundle-dir.loader.js';
export { memoryFs, type BundleFs } from './discovery/bundle-fs.js';
export * from './discovery/discover-bundles.js';
export * from './charts/chart-fetch.js';
export { pickVersion, parseRepoIndex, toNodeRange, type IndexChartVersion, type RepoIndex } from './charts/repo-index.js';
