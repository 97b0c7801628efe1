import type { KubernetesObject } from '@kubernetes/client-node';
import type { DeploymentAssignment, DeploymentStatus } from '@flotilla/proto';
import { Applier } from '../apply/applier.js';
import { objectPath } from '../apply/discovery.js';
import { Backoff } from '../connection/backoff.js';
import type { DryRunApplier } from '../drift/index.js';
import { AgentError, messageOf } from '../errors.js';
import { assessHealth } from '../health/index.js';
import { isNotFound } from '../kube/kube-api-error.js';
import { describeRef, refKey, type ObjectRef } from '../kube/object-ref.js';
import type { Logger } from '../log/logger.js';
import type { PlannedObject } from '../plan/plan.js';
import { deploymentStatus, type ObjectResult } from '../report/deployment-status.js';
import type { ReconcileContext } from './context.js';
import { mapLimit } from '../kube/map-limit.js';
import { CorrectionThrottle } from './correction-throttle.js';
import { checkObject } from './object-check.js';
import { reconcileRevision } from './reconcile.js';
import { removeDeployment } from './remove-deployment.js';

export interface ControllerDeps {
  ctx: ReconcileContext;
  driftApi: DryRunApplier;
  onStatus: (status: DeploymentStatus) => void;
  /** The set of applied objects changed (the agent re-derives what to watch). */
  onObjectsChanged: () => void;
  logger: Logger;
}

type CheckResult = Pick<ObjectResult, 'health' | 'drift' | 'checkError'>;

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
  private queue: Promise<void> = Promise.resolve();
  private reconcileQueued = false;
  private readonly pendingLive = new Map<string, { live: KubernetesObject | undefined; deleted: boolean }>();
  private flushQueued = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly retry = new Backoff({ initialMs: 5_000, maxMs: 300_000 });
  private readonly corrections = new CorrectionThrottle();
  /** Re-checks of objects whose drift correction the throttle postponed, by object key. */
  private readonly postponed = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    private readonly deps: ControllerDeps,
    assignment: DeploymentAssignment,
  ) {
    this.assignment = assignment;
    this.logger = deps.logger.with({ bundle: assignment.bundleName });
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
    if (this.flushQueued) return;
    this.flushQueued = true;
    this.enqueue(async () => {
      this.flushQueued = false;
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
    this.enqueue(async () => {
      await this.checkAll();
      this.publish();
    });
  }

  /** The hub no longer assigns this deployment: prune its objects (unless keepResources) and forget it. */
  remove(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    for (const timer of this.postponed.values()) clearTimeout(timer);
    this.postponed.clear();
    return this.enqueue(async () => {
      await removeDeployment(this.deps.ctx, this.bundleName, this.assignment.options?.keepResources);
      this.objects.clear();
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
    if (this.reconcileQueued || this.stopped) return;
    this.reconcileQueued = true;
    this.enqueue(async () => {
      this.reconcileQueued = false;
      await this.reconcileNow();
    });
  }

  private async reconcileNow(): Promise<void> {
    clearTimeout(this.retryTimer);
    const assignment = this.assignment;
    try {
      const result = await reconcileRevision(this.deps.ctx, assignment);
      this.objects = new Map(result.objects.map((p) => [p.key, p]));
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
    this.scheduleRetry();
  }

  /** Checks `planned` again after `delayMs` (once, however often it is asked for meanwhile). */
  private recheckLater(planned: PlannedObject, delayMs: number): void {
    if (this.postponed.has(planned.key) || this.stopped) return;
    const timer = setTimeout(() => {
      this.postponed.delete(planned.key);
      this.enqueue(async () => {
        const current = this.objects.get(planned.key);
        if (!current || this.stopped) return;
        await this.check(current, () => this.read(current));
        this.publish();
      });
    }, delayMs);
    timer.unref();
    this.postponed.set(planned.key, timer);
  }

  private scheduleRetry(): void {
    const retryable = this.failure?.retryable || [...this.objectErrors.values()].some((e) => e.retryable);
    if (!retryable) {
      if (!this.failure && this.objectErrors.size === 0) this.retry.reset();
      return;
    }
    const delay = this.retry.next() + 1000;
    this.retryTimer = setTimeout(() => this.requestReconcile(), delay);
    this.retryTimer.unref();
  }

  private async checkAll(): Promise<void> {
    const targets = [...this.objects.values()].filter((p) => !this.objectErrors.has(p.key));
    await mapLimit(targets, CHECK_CONCURRENCY, (planned) => this.check(planned, () => this.read(planned)));
  }

  /** Health and drift of one object; corrects drift when the deployment asks for it. */
  private async check(planned: PlannedObject, readLive: () => Promise<KubernetesObject | undefined>): Promise<void> {
    const options = this.assignment.options;
    let live: KubernetesObject | undefined;
    try {
      live = await readLive();
    } catch (error) {
      const previous = this.checks.get(planned.key);
      this.checks.set(planned.key, {
        result: { ...previous?.result, health: { status: 'Unknown', message: `cannot read the object: ${messageOf(error)}` } },
        resourceVersion: undefined,
      });
      return;
    }
    let result: CheckResult = await checkObject(this.deps.driftApi, planned, live, options?.comparePatches ?? []);
    if (result.drift?.drifted && live !== undefined) {
      // A watch event can be older than the object the dry-run merged into
      // (e.g. the Deployment controller annotated it in between), which shows
      // up as drift in fields we do not own. Confirm against a fresh read.
      const fresh = await this.read(planned).catch(() => live);
      if (fresh?.metadata?.resourceVersion !== live.metadata?.resourceVersion) {
        live = fresh;
        result = await checkObject(this.deps.driftApi, planned, live, options?.comparePatches ?? []);
      }
    }
    let resourceVersion = live?.metadata?.resourceVersion;
    const gate = result.drift?.drifted && options?.correctDrift ? this.corrections.gate(planned.key, Date.now()) : undefined;
    if (gate && !gate.allowed) {
      // Someone keeps undoing the correction: report it and correct again later, not in a loop with them.
      const fields = result.drift!.diffs.map((d) => d.path).slice(0, 3).join(', ');
      result = {
        ...result,
        checkError:
          `drift keeps coming back (${fields}): corrected ${gate.count} time(s) since ${new Date(gate.since).toISOString()}; ` +
          `another actor is likely changing it; next correction in ${Math.ceil(gate.waitMs / 1000)} s`,
      };
      this.recheckLater(planned, gate.waitMs);
    } else if (gate) {
      const outcome = await new Applier(this.deps.ctx.kube, this.deps.ctx.discovery, this.bundleName).applyObject(planned);
      if (outcome.ok) {
        this.corrections.corrected(planned.key, Date.now());
        this.logger.info('corrected drift', { object: describeRef(planned.ref), fields: result.drift!.diffs.map((d) => d.path).slice(0, 10) });
        result = { health: assessHealth(outcome.live), drift: { drifted: false, diffs: [] } };
        resourceVersion = outcome.live.metadata?.resourceVersion;
      } else {
        this.logger.warn('drift correction failed', { object: describeRef(planned.ref), error: outcome.error.message });
        result = { ...result, checkError: `correcting drift failed: ${outcome.error.message}` };
      }
    }
    this.checks.set(planned.key, { result, resourceVersion });
  }

  private async read(planned: PlannedObject): Promise<KubernetesObject | undefined> {
    const { kube, discovery } = this.deps.ctx;
    const info = await discovery.lookup(planned.ref.apiVersion, planned.ref.kind).catch(() => undefined);
    if (!info) return undefined;
    try {
      return await kube.request<KubernetesObject>('GET', objectPath(planned.ref, info));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private publish(): void {
    const status = this.status();
    this.logger.debug('status', { state: status.state, reason: status.reason, message: status.message, appliedRevision: status.appliedRevision });
    this.deps.onStatus(status);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work).catch((error: unknown) => this.logger.error('deployment work failed', { error: messageOf(error) }));
    this.queue = run;
    return run;
  }
}
