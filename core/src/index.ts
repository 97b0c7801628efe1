/**
 * Rules shared by the hub, the agent and the CLI. Pure: no I/O, no framework;
 * depends on nothing but the `flotilla.v1` contract (@flotilla/proto) and
 * the `yaml` parser (manifests/, issue #9).
 */
export * from './labels/dns-name.rules.js';
export * from './labels/label.rules.js';
export * from './labels/label-selector.types.js';
export * from './labels/label-selector.matcher.js';
export * from './labels/label-selector.rules.js';
export * from './labels/selector-string.parser.js';
export * from './labels/selector-syntax.error.js';
export * from './hooks/hook-annotations.rules.js';
export * from './objects/object-ref.identity.js';
export * from './objects/secret-redaction.rules.js';
export * from './revision/revision.digest.js';
export * from './status/deployment-state.order.js';
export * from './wire/compare-patch.wire.js';
export * from './manifests/manifest.limits.js';
export * from './manifests/manifest.error.js';
export * from './manifests/manifest-depth.rules.js';
export * from './manifests/manifest-object.rules.js';
export * from './manifests/parse-manifests.js';
