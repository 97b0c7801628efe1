import type { HealthCheck } from './health.types.js';
import { conditions, describe, health } from './object-fields.js';

/**
 * CustomResourceDefinition: usable once Established. A name clash
 * (NamesAccepted=False) or a non-structural schema will not fix itself, so
 * they are Degraded; Established=False otherwise means still installing.
 */
export const crdHealth: HealthCheck = {
  kinds: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }],
  assess(obj) {
    const byType = new Map(conditions(obj).map((c) => [c.type, c]));
    const terminating = byType.get('Terminating');
    if (terminating?.status === 'True') return health('Progressing', `CRD is being deleted: ${describe(terminating)}`);
    const names = byType.get('NamesAccepted');
    if (names?.status === 'False') return health('Degraded', `CRD names not accepted: ${describe(names)}`);
    const nonStructural = byType.get('NonStructuralSchema');
    if (nonStructural?.status === 'True') return health('Degraded', `CRD schema is not structural: ${describe(nonStructural)}`);
    const established = byType.get('Established');
    if (established?.status === 'True') return health('Healthy', 'CRD is established');
    return health('Progressing', established ? `CRD is not established yet: ${describe(established)}` : 'Waiting for the CRD to be established');
  },
};
