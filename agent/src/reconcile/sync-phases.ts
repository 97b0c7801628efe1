import type { DeploymentAssignment } from '@flotilla/proto';
import { Applier } from '../apply/applier.js';
import { describeUnhealthy } from '../apply/hooks/health-gate.js';
import { HealthWaiter, type AppliedObject } from '../apply/hooks/health.waiter.js';
import { DEFAULT_HOOK_TIMEOUT_MS, HookRunner } from '../apply/hooks/hook.runner.js';
import { AgentError } from '../errors.js';
import type { HookPhase } from '../plan/hooks/hook-annotations.js';
import type { HookPlan, SyncWave } from '../plan/hooks/hook-plan.js';
import type { ReconcileContext } from './context.js';

/**
 * The phases of one pass over a revision, as gitops-engine's sync context
 * runs them: PreSync hooks; the Sync phase wave by wave (a wave's main
 * objects, then its Sync hooks; the next wave once they completed and the
 * wave's objects are healthy); PostSync hooks once every main object is
 * healthy. Waits are bounded by the hook timeout. A failing phase runs the
 * SyncFail hooks (once) and answers with its error.
 */
export class SyncPhases {
  private readonly runner: HookRunner;
  private readonly health: HealthWaiter;
  private readonly timeoutMs: number;
  /** Main objects applied so far, with their live state as the apply answered it. */
  private readonly applied = new Map<string, AppliedObject>();
  private failed = false;

  constructor(
    private readonly ctx: ReconcileContext,
    private readonly assignment: DeploymentAssignment,
    private readonly hooks: HookPlan,
  ) {
    this.timeoutMs = ctx.hookTimeoutMs || DEFAULT_HOOK_TIMEOUT_MS;
    const { kube, discovery, logger } = ctx;
    this.runner = new HookRunner({ kube, discovery, bundleName: assignment.bundleName, revision: assignment.revision, logger, timeoutMs: this.timeoutMs });
    this.health = new HealthWaiter({ kube, discovery, timeoutMs: this.timeoutMs, ignoredConditions: assignment.options?.ignoreConditions ?? [] });
  }

  /** Runs the hooks of `phase` (PreSync); a failure runs the SyncFail hooks. */
  async run(phase: HookPhase): Promise<AgentError | undefined> {
    return this.failing(await this.runner.runPhase(this.hooks.phases[phase]));
  }

  /**
   * The Sync phase. Objects that fail to apply are recorded in `objectErrors`
   * (a failed object does not stop the rest of its wave); once any object of
   * the revision failed or was refused, no later wave and no Sync hook runs,
   * the SyncFail hooks run, and this resolves with undefined (the object
   * errors say what failed). Otherwise resolves with a hook or health failure.
   */
  async sync(waves: SyncWave[], objectErrors: Map<string, AgentError>): Promise<AgentError | undefined> {
    const applier = new Applier(this.ctx.kube, this.ctx.discovery, this.assignment.bundleName);
    for (const [i, wave] of waves.entries()) {
      const applied: AppliedObject[] = [];
      await applier.applySteps(wave.steps, (planned, outcome) => {
        if (outcome.ok) applied.push({ planned, live: outcome.live });
        else objectErrors.set(planned.key, outcome.error);
      });
      for (const a of applied) this.applied.set(a.planned.key, a);
      if (objectErrors.size > 0) {
        await this.syncFailed();
        return undefined;
      }
      const hookFailure = await this.syncHooks(wave);
      if (hookFailure) return hookFailure;
      const next = waves[i + 1];
      if (!next) continue; // the last wave is not waited for
      this.ctx.logger.debug('waiting for health', { bundle: this.assignment.bundleName, wave: wave.wave, objects: applied.length });
      const unhealthy = await this.health.wait(applied);
      if (unhealthy.length > 0) {
        const message = `wave ${next.wave} was not applied: objects of wave ${wave.wave} did not become healthy within ${this.seconds()} s: ${describeUnhealthy(unhealthy)}`;
        // Not healthy yet is not a verdict (a slow image pull, a cluster short of nodes): retried with backoff,
        // which applies the revision again (its hooks included, as an Argo CD retry does).
        return this.failing(new AgentError('WaveNotHealthy', message, { retryable: true }));
      }
    }
    return undefined;
  }

  /** PostSync hooks, once every main object applied is healthy (none wait when there are no PostSync hooks). */
  async postSync(): Promise<AgentError | undefined> {
    if (this.hooks.phases.PostSync.length === 0) return undefined;
    const unhealthy = await this.health.wait([...this.applied.values()]);
    if (unhealthy.length > 0) {
      const message = `PostSync hooks did not run: the bundle's objects did not become healthy within ${this.seconds()} s: ${describeUnhealthy(unhealthy)}`;
      return this.failing(new AgentError('HookFailed', message));
    }
    return this.run('PostSync');
  }

  /** Runs the SyncFail hooks; their own failure does not replace the one that made them run. */
  async syncFailed(): Promise<void> {
    if (this.failed) return;
    this.failed = true;
    await this.runner.runPhase(this.hooks.phases.SyncFail);
  }

  /** The Sync hooks of one wave of the Sync phase. */
  private async syncHooks(wave: SyncWave): Promise<AgentError | undefined> {
    if (wave.hooks.length === 0) return undefined;
    return this.failing(await this.runner.runPhase([{ phase: 'Sync', wave: wave.wave, hooks: wave.hooks }]));
  }

  private async failing(failure: AgentError | undefined): Promise<AgentError | undefined> {
    if (failure) await this.syncFailed();
    return failure;
  }

  private seconds(): number {
    return Math.round(this.timeoutMs / 1000);
  }
}
