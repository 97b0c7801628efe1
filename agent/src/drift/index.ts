/**
 * Drift detection: whether live objects still match what the agent applied,
 * field by field, with Fleet/Argo CD style ignore rules.
 */
export type { ComparePatch, DriftResult, DryRunApplier, FieldDiff } from './drift.types.js';
export { AGENT_FIELD_MANAGER, detectDrift, type DetectDriftOptions } from './drift-detector.js';
export { DriftCheckError, type DriftCheckReason } from './drift.errors.js';
export { diffValues } from './field-diff.js';
export { filterIgnored, ignoredPointers, isIgnored, removePointers, ruleMatches } from './ignore-rules.js';
export { escapeToken, formatPointer, isAtOrBelow, parsePointer, unescapeToken } from './json-pointer.js';
export { LAST_APPLIED_ANNOTATION, normalize } from './normalize.js';
export { keyedMarker, redactDrift } from './secret-redaction.js';
