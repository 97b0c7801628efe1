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
