import { latestDesired, register, reportStatus, watch, type OpenWatch } from './agent-client.ts';
import type { TestHub } from './hub.ts';

/** A cluster whose agent the test plays: registered, watching, reporting what the test says. */
export interface SimulatedAgent {
  name: string;
  credential: string;
  stream: OpenWatch;
}

export const READY = 1;
export const ERR_APPLIED = 7;

/**
 * Registers one cluster per entry of `labelsByRole` (named `<role>-<run>`,
 * labelled with its labels and `run`), each with an open Watch stream that
 * `streams` collects for the caller to cancel.
 */
export async function simulatedAgents(
  hub: TestHub,
  token: string,
  run: string,
  labelsByRole: Record<string, Record<string, string>>,
  streams: OpenWatch[],
): Promise<Record<string, SimulatedAgent>> {
  const out: Record<string, SimulatedAgent> = {};
  for (const [role, labels] of Object.entries(labelsByRole)) {
    const name = `${role}-${run}`;
    const reg = await register(hub, { token, identity: `sim-${name}`, labels: { ...labels, run }, name });
    const stream = watch(hub, reg.credential);
    streams.push(stream);
    out[role] = { name, credential: reg.credential, stream };
  }
  return out;
}

/** What the agent was last given of `bundle` (undefined: nothing). */
export function givenOf(agent: SimulatedAgent, bundle: string) {
  return latestDesired(agent.stream)?.deployments.find((d) => d.bundleName === bundle);
}

/** Plays the agent: reports `state` for what it was given of `bundle`. */
export async function reportAs(hub: TestHub, agent: SimulatedAgent, bundle: string, state = READY): Promise<void> {
  const d = givenOf(agent, bundle);
  if (!d) throw new Error(`${agent.name} was given no ${bundle}`);
  const failed = state === ERR_APPLIED;
  await reportStatus(hub, agent.credential, [
    { deploymentId: d.deploymentId, appliedRevision: d.revision, state, reason: failed ? 'ApplyFailed' : '', message: failed ? 'admission webhook denied' : '', resources: [] },
  ]);
}

/** Re-opens every agent's Watch stream (after a hub restart). */
export function reconnect(hub: TestHub, agents: SimulatedAgent[], streams: OpenWatch[]): void {
  for (const a of agents) {
    a.stream.cancel();
    a.stream = watch(hub, a.credential);
    streams.push(a.stream);
  }
}
