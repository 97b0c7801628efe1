import type { KubernetesObject } from '@kubernetes/client-node';
import type { DeploymentAssignment, DeploymentStatus } from '@flotilla/proto';
import type { DryRunApplier } from '../drift/index.js';
import { AgentError, messageOf } from '../errors.js';
import { refKey, type ObjectRef } from '../kube/object-ref.js';
import type { Logger } from '../log/logger.js';
import type { PlannedObject } from '../plan/plan.js';
import { deploymentStatus, type ObjectResult } from '../report/deployment-status.js';
import type { ReconcileContext } from './context.js';
import { mapLimit } from '../kube/map-limit.js';
import { DriftCorrectionPolicy } from './drift-correction.policy.js';
import { ObjectChecker, type CheckResult } from './object.checker.js';
import { reconcileRevision } from './reconcile.js';
import { RecheckTimers } from './recheck.timers.js';
import { RetryScheduler } from './retry.scheduler.js';
import { SerialQueue } from './serial-queue.js';
import { removeDeployment } from './remove-deployment.js';

export interface ControllerDeps {
  ctx: ReconcileContext;
  driftApi: DryRunApplier;
  onStatus: (status: DeploymentStatus) => void;
  /** The set of applied objects changed (the agent re-derives what to watch). */
  onObjectsChanged: () => void;
  logger: Logger;
}

/** Parallel object checks per deployment: GETs and dry-runs are cheap, the API server is shared. */
const CHECK_CONCURRENCY = 4;

/**
 * Keeps one deployment applied: runs its revision through the reconcile
 * steps when the assignment changes, re-checks health and drift when its
 * objects change in the cluster (and on resync), corrects drift when asked
 * to, retries failures with backoff, and publishes its status. All work of
 * one deployment runs one piece at a time, in order.
 */
export class DeploymentController {
  private assignment: DeploymentAssignment;
  private assignmentKey = '';
  private objects = new Map<string, PlannedObject>();
  private refs: ObjectRef[] = [];
  private objectErrors = new Map<string, AgentError>();
  private failure: AgentError | undefined;
  private appliedRevision = '';
  /** Revision whose objects are enforced now (content must be kept for it). */
  enforcedRevision = '';
  private readonly checks = new Map<string, { result: CheckResult; resourceVersion: string | undefined }>();
  private readonly queue: SerialQueue;
  private readonly pendingLive = new Map<string, { live: KubernetesObject | undefined; deleted: boolean }>();
  private readonly retry = new RetryScheduler(() => this.requestReconcile());
  private readonly corrections = new DriftCorrectionPolicy();
  private readonly checker: ObjectChecker;
  /** Re-checks of objects whose drift correction the policy postponed. */
  private readonly postponed = new RecheckTimers();
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    private readonly deps: ControllerDeps,
    assignment: DeploymentAssignment,
  ) {
    this.assignment = assignment;
    this.logger = deps.logger.with({ bundle: assignment.bundleName });
    this.queue = new SerialQueue((error) => this.logger.error('deployment work failed', { error: messageOf(error) }));
    this.checker = new ObjectChecker({ ctx: deps.ctx, driftApi: deps.driftApi, bundleName: assignment.bundleName, logger: this.logger, corrections: this.corrections });
  }

  get bundleName(): string {
    return this.assignment.bundleName;
  }

  get deploymentId(): string {
    return this.assignment.deploymentId;
  }

  /** Kinds of the objects this deployment applied (what the agent watches). */
  appliedKinds(): { apiVersion: string; kind: string; namespace: string }[] {
    return [...this.objects.values()].map((p) => p.ref);
  }

  /** Takes a (possibly) new assignment; reconciles when anything in it changed. */
  update(assignment: DeploymentAssignment): void {
    const key = JSON.stringify(assignment);
    this.assignment = assignment;
    if (key === this.assignmentKey) return;
    this.assignmentKey = key;
    this.requestReconcile();
  }

  /** An applied object changed or disappeared in the cluster (from the watch). */
  liveChanged(live: KubernetesObject | undefined, ref: ObjectRef, deleted: boolean): void {
    const key = refKey(ref);
    if (!this.objects.has(key) || this.objectErrors.has(key)) return;
    if (!deleted && this.isChecked(key, live)) return;
    this.pendingLive.set(key, { live, deleted });
    this.queue.coalesce('live-changes', async () => {
      const batch = [...this.pendingLive];
      this.pendingLive.clear();
      await mapLimit(batch, CHECK_CONCURRENCY, async ([k, change]) => {
        const planned = this.objects.get(k);
        // Events for our own apply arrive while it runs; the check after it has seen them already.
        if (!planned || (!change.deleted && this.isChecked(k, change.live))) return;
        // DELETED also means "no longer matches the label selector": look before calling it gone.
        await this.check(planned, change.deleted ? () => this.read(planned) : () => Promise.resolve(change.live));
      });
      this.publish();
    });
  }

  /** Whether `live` is the very version of the object that was checked last. */
  private isChecked(key: string, live: KubernetesObject | undefined): boolean {
    const known = this.checks.get(key)?.resourceVersion;
    return live !== undefined && known !== undefined && known === live.metadata?.resourceVersion;
  }

  /** Re-checks every object (periodic resync). */
  resync(): void {
    void this.queue.enqueue(async () => {
      await this.checkAll();
      this.publish();
    });
  }

  /** The hub no longer assigns this deployment: prune its objects (unless keepResources) and forget it. */
  remove(): Promise<void> {
    this.stopped = true;
    this.retry.cancel();
    this.postponed.cancelAll();
    return this.queue.enqueue(async () => {
      await removeDeployment(this.deps.ctx, this.bundleName, this.assignment.options?.keepResources);
      this.objects.clear();
      this.corrections.retain(new Set());
      this.deps.onObjectsChanged();
    });
  }

  status(): DeploymentStatus {
    const results: ObjectResult[] = this.refs.map((ref) => {
      const key = refKey(ref);
      const error = this.objectErrors.get(key);
      return { ref, ...this.checks.get(key)?.result, ...(error ? { applyError: { reason: error.reason, message: error.message } } : {}) };
    });
    const failure = this.failure
      ? { reason: this.failure.reason, message: this.failure.message, waiting: this.failure.reason === 'ContentFetchFailed' }
      : undefined;
    return deploymentStatus(this.deploymentId, this.appliedRevision, failure, results);
  }

  private requestReconcile(): void {
    if (this.stopped) return;
    this.queue.coalesce('reconcile', () => this.reconcileNow());
  }

  private async reconcileNow(): Promise<void> {
    this.retry.cancel();
    const assignment = this.assignment;
    try {
      const result = await reconcileRevision(this.deps.ctx, assignment);
      this.objects = new Map(result.objects.map((p) => [p.key, p]));
      // Objects that left the bundle take their correction history with them.
      this.corrections.retain(new Set(this.objects.keys()));
      this.refs = result.refs;
      this.objectErrors = result.objectErrors;
      this.failure = result.failure;
      this.appliedRevision = result.inventory.appliedRevision;
      this.enforcedRevision = assignment.revision;
      this.checks.clear();
      if (!result.upToDate) {
        this.logger.info(this.objectErrors.size ? 'revision applied with errors' : 'revision applied', {
          revision: assignment.revision,
          objects: result.objects.length,
          failed: this.objectErrors.size,
        });
      }
      this.deps.onObjectsChanged();
    } catch (error) {
      // Earlier objects stay as they were and keep being enforced.
      this.failure = error instanceof AgentError ? error : new AgentError('ApplyFailed', messageOf(error), { cause: error, retryable: true });
      this.logger.warn('revision not applied', { revision: assignment.revision, reason: this.failure.reason, error: this.failure.message });
    }
    await this.checkAll();
    this.publish();
    this.retry.after({ failure: this.failure, objectErrors: this.objectErrors });
  }

  /** Checks `planned` again after `delayMs` (once, however often it is asked for meanwhile). */
  private recheckLater(planned: PlannedObject, delayMs: number): void {
    if (this.stopped) return;
    this.postponed.schedule(planned.key, delayMs, () => {
      void this.queue.enqueue(async () => {
        const current = this.objects.get(planned.key);
        if (!current || this.stopped) return;
        await this.check(current, () => this.read(current));
        this.publish();
      });
    });
  }

  private async checkAll(): Promise<void> {
    const targets = [...this.objects.values()].filter((p) => !this.objectErrors.has(p.key));
    await mapLimit(targets, CHECK_CONCURRENCY, (planned) => this.check(planned, () => this.read(planned)));
  }

  /** Checks one object (see ObjectChecker) and remembers the outcome; schedules the re-check of a postponed correction. */
  private async check(planned: PlannedObject, readLive: () => Promise<KubernetesObject | undefined>): Promise<void> {
    const outcome = await this.checker.check(planned, readLive, this.assignment.options, this.checks.get(planned.key)?.result);
    if (outcome.recheckInMs !== undefined) this.recheckLater(planned, outcome.recheckInMs);
    this.checks.set(planned.key, { result: outcome.result, resourceVersion: outcome.resourceVersion });
  }

  private read(planned: PlannedObject): Promise<KubernetesObject | undefined> {
    return this.checker.read(planned);
  }

  private publish(): void {
    const status = this.status();
    this.logger.debug('status', { state: status.state, reason: status.reason, message: status.message, appliedRevision: status.appliedRevision });
    this.deps.onStatus(status);
  }
}
