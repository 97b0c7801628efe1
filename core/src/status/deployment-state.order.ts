import { DeploymentState } from '@flotilla/proto';

type KnownKey = Exclude<keyof typeof DeploymentState, 'DEPLOYMENT_STATE_UNSPECIFIED' | 'UNRECOGNIZED'>;
type Suffix<K> = K extends `DEPLOYMENT_STATE_${infer S}` ? S : never;
type Pascal<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Capitalize<Lowercase<Head>>}${Pascal<Tail>}` : Capitalize<Lowercase<S>>;

/** A known proto deployment state: `DeploymentState` without UNSPECIFIED and UNRECOGNIZED. */
export type KnownDeploymentState = (typeof DeploymentState)[KnownKey];

/** The name of a deployment state, derived from the proto enum: `DEPLOYMENT_STATE_ERR_APPLIED` → `ErrApplied`. */
export type DeploymentStateName = Pascal<Suffix<KnownKey>>;

function pascal(suffix: string): string {
  return suffix
    .split('_')
    .map((part) => part.charAt(0) + part.slice(1).toLowerCase())
    .join('');
}

const KNOWN = Object.entries(DeploymentState)
  .filter(([key, value]) => key.startsWith('DEPLOYMENT_STATE_') && value > DeploymentState.DEPLOYMENT_STATE_UNSPECIFIED)
  .map(([key, value]) => ({ value: value as KnownDeploymentState, name: pascal(key.slice('DEPLOYMENT_STATE_'.length)) as DeploymentStateName }));

/**
 * Known proto states worst first, as Fleet summarises. The proto enum is
 * ordered best (READY) to worst (ERR_APPLIED), so this is its reverse.
 */
export const PROTO_STATE_SEVERITY: readonly KnownDeploymentState[] = KNOWN.map((s) => s.value).sort((a, b) => b - a);

/** State names worst first: the order used when aggregating. */
export const STATE_SEVERITY: DeploymentStateName[] = [...KNOWN].sort((a, b) => b.value - a.value).map((s) => s.name);

const NAME_OF = new Map<number, DeploymentStateName>(KNOWN.map((s) => [s.value, s.name]));

/** The name of a proto state, or undefined for UNSPECIFIED and values this build does not know. */
export function stateName(state: number): DeploymentStateName | undefined {
  return NAME_OF.get(state);
}

/** The worse of two proto states. */
export function worseState(a: DeploymentState, b: DeploymentState): DeploymentState {
  return b > a ? b : a;
}

/** The worst of `states`, or `best` when there are none. */
export function worstState(states: readonly DeploymentState[], best: DeploymentState = DeploymentState.DEPLOYMENT_STATE_READY): DeploymentState {
  return states.reduce<DeploymentState>(worseState, best);
}
