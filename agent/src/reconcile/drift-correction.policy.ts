import type { DriftResult } from '../drift/index.js';
import { CorrectionThrottle } from './correction-throttle.js';

export type CorrectionDecision =
  /** Nothing to correct: no drift, or the deployment does not ask for corrections. */
  | { action: 'leave' }
  | { action: 'correct' }
  /** Drift keeps coming back: report `message` and check again after `waitMs`. */
  | { action: 'postpone'; waitMs: number; message: string };

/**
 * When to correct a drifted object and when to hold off, on top of
 * {@link CorrectionThrottle}: the controller asks before each correction and
 * says when one happened; the policy also forgets objects that left the
 * deployment, so its memory is bounded by the deployment's size.
 */
export class DriftCorrectionPolicy {
  private readonly throttle = new CorrectionThrottle();

  decide(key: string, drift: DriftResult | undefined, correctDrift: boolean | undefined, now: number): CorrectionDecision {
    if (!drift?.drifted || !correctDrift) return { action: 'leave' };
    const gate = this.throttle.gate(key, now);
    if (gate.allowed) return { action: 'correct' };
    // Someone keeps undoing the correction: report it and correct again later, not in a loop with them.
    const fields = drift.diffs.map((d) => d.path).slice(0, 3).join(', ');
    const message =
      `drift keeps coming back (${fields}): corrected ${gate.count} time(s) since ${new Date(gate.since).toISOString()}; ` +
      `another actor is likely changing it; next correction in ${Math.ceil(gate.waitMs / 1000)} s`;
    return { action: 'postpone', waitMs: gate.waitMs, message };
  }

  corrected(key: string, now: number): void {
    this.throttle.corrected(key, now);
  }

  /** The deployment now consists of `keys`: forget everything else. */
  retain(keys: ReadonlySet<string>): void {
    this.throttle.retain(keys);
  }

  /** Objects the policy remembers corrections of. */
  get tracked(): number {
    return this.throttle.size;
  }
}
