import { labelKeyProblem, labelValueProblem } from './label.rules.js';
import type { LabelSelector, SelectorProblem } from './label-selector.types.js';

/**
 * Validates a structured selector as the Kubernetes API server would: the
 * first problem, with its field path under `field`, or undefined when valid.
 */
export function selectorProblem(selector: LabelSelector, field = 'selector'): SelectorProblem | undefined {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const message = labelKeyProblem(key) ?? labelValueProblem(value);
    if (message) return { message, field: `${field}.matchLabels.${key}` };
  }
  const requirements = selector.matchExpressions ?? [];
  for (const [i, req] of requirements.entries()) {
    const at = `${field}.matchExpressions[${i}]`;
    const keyProblem = labelKeyProblem(req.key);
    if (keyProblem) return { message: keyProblem, field: `${at}.key` };
    const values = req.values ?? [];
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      return { message: `operator ${req.operator} needs at least one value`, field: `${at}.values` };
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) {
      return { message: `operator ${req.operator} takes no values`, field: `${at}.values` };
    }
    for (const [j, v] of values.entries()) {
      const message = labelValueProblem(v);
      if (message) return { message, field: `${at}.values[${j}]` };
    }
  }
  return undefined;
}
