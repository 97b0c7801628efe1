import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { sleep } from '../../connection/sleep.js';
import { AgentError, messageOf } from '../../errors.js';
import { isNotFound } from '../../kube/kube-api-error.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { BUNDLE_LABEL, describeRef, FIELD_MANAGER, HOOK_RUN_LABEL, isGeneratedName } from '../../kube/object-ref.js';
import type { Logger } from '../../log/logger.js';
import type { HookWave, PlannedHook } from '../../plan/hooks/hook-plan.js';
import type { PlannedObject } from '../../plan/plan.js';
import { Applier, failed, type ApplyOutcome } from '../applier.js';
import { objectPath, type Discovery, type ResourceInfo } from '../discovery.js';
import { hookCompletion } from './hook-completion.js';

/** FLOTILLA_HOOK_TIMEOUT_SECONDS default. */
export const DEFAULT_HOOK_TIMEOUT_MS = 300_000;

export interface HookRunnerDeps {
  kube: KubeClient;
  discovery: Discovery;
  bundleName: string;
  /** The revision whose hooks run: a generateName hook still running from an earlier pass over it is followed. */
  revision: string;
  logger: Logger;
  /** How long one hook may take, from its creation request to completion. Default 300 s. */
  timeoutMs?: number;
  /** How often a running hook is read. Default 1 s. */
  pollMs?: number;
}

/**
 * Runs the hooks of one phase, wave after wave (Argo CD's order): every hook
 * of a wave is created (after deleting the previous one for
 * BeforeHookCreation), then awaited until it completed; the next wave starts
 * when all of them succeeded. The first failure stops the phase. A hook
 * named by `generateName` is created (POST: server-side apply needs a name)
 * and followed under the name the API server gave it; it carries a label
 * naming its revision and hook, so that a pass over the same revision (the
 * agent restarted, or retries) follows one still running instead of starting
 * a second copy next to it (two database migrations at once). A completed or
 * failed earlier run is not followed: a new pass runs the hook again, as an
 * Argo CD retry does.
 */
export class HookRunner {
  private readonly timeoutMs: number;
  private readonly pollMs: number;

  constructor(private readonly deps: HookRunnerDeps) {
    this.timeoutMs = deps.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
    this.pollMs = deps.pollMs ?? 1000;
  }

  /** Runs `waves` in order; resolves with the first failure (HookFailed), or undefined when every hook succeeded. */
  async runPhase(waves: HookWave[]): Promise<AgentError | undefined> {
    for (const wave of waves) {
      const failures = (await Promise.all(wave.hooks.map((hook) => this.runHook(hook)))).filter((f): f is AgentError => f !== undefined);
      if (failures.length) return failures[0];
    }
    return undefined;
  }

  private async runHook(hook: PlannedHook): Promise<AgentError | undefined> {
    const { ref } = hook.planned;
    let name = `${hook.phase} hook ${describeRef(ref)}`;
    const deadline = Date.now() + this.timeoutMs;
    let info: ResourceInfo;
    try {
      const found = await this.deps.discovery.lookup(ref.apiVersion, ref.kind);
      if (!found) return new AgentError('HookFailed', `${name}: the API server has no kind ${ref.kind} in ${ref.apiVersion}`, { retryable: true });
      info = found;
      // The plan leaves BeforeHookCreation out for generateName hooks: each run is a new object.
      if (hook.deletePolicies.includes('BeforeHookCreation')) await this.deleteAndWait(objectPath(ref, info), deadline);
    } catch (error) {
      if (error instanceof AgentError) return new AgentError('HookFailed', `${name}: ${error.message}`);
      return new AgentError('HookFailed', `${name}: cannot replace the previous hook: ${messageOf(error)}`, { cause: error, retryable: true });
    }
    const run = isGeneratedName(ref) ? hookRunLabel(this.deps.revision, hook) : '';
    const running = run ? await this.runningRun(hook.planned, info, run) : undefined;
    const applied = running
      ? { ok: true as const, live: running }
      : run
        ? await this.create(hook.planned, info, run)
        : await new Applier(this.deps.kube, this.deps.discovery, this.deps.bundleName).applyObject(hook.planned);
    if (!applied.ok) return new AgentError('HookFailed', `${name} could not be created: ${applied.error.message}`, { cause: applied.error, retryable: applied.error.retryable });
    const created = { ...ref, name: applied.live.metadata?.name || ref.name };
    name = `${hook.phase} hook ${describeRef(created)}`;
    const path = objectPath(created, info);
    this.deps.logger.info(running ? 'hook still running from an earlier pass: followed' : 'hook created', { hook: describeRef(created), phase: hook.phase, wave: hook.wave });

    const outcome = await this.await(path, applied.live, deadline);
    const succeeded = outcome.state === 'succeeded';
    if (hook.deletePolicies.includes(succeeded ? 'HookSucceeded' : 'HookFailed')) {
      await this.deps.kube.request('DELETE', path, { body: { propagationPolicy: 'Background' } }).catch((error: unknown) => {
        if (!isNotFound(error)) this.deps.logger.warn('hook not deleted', { hook: describeRef(created), error: messageOf(error) });
      });
    }
    if (succeeded) return undefined;
    return new AgentError('HookFailed', `${name} ${outcome.state === 'timeout' ? `timed out after ${Math.round(this.timeoutMs / 1000)} s` : 'failed'}: ${outcome.message}`);
  }

  /** Creates a hook named by generateName (POST to its collection), labelled with its run; the API server names it. */
  private async create(planned: PlannedObject, info: ResourceInfo, run: string): Promise<ApplyOutcome> {
    const body = { ...planned.object, metadata: { ...planned.object.metadata, labels: { ...planned.object.metadata?.labels, [HOOK_RUN_LABEL]: run } } };
    try {
      const live = await this.deps.kube.request<KubernetesObject>('POST', objectPath({ ...planned.ref, name: '' }, info), {
        query: { fieldManager: FIELD_MANAGER },
        body,
      });
      return { ok: true, live };
    } catch (error) {
      return failed(planned.ref, error);
    }
  }

  /** The newest copy of this run that is still running (not completed, failed or being deleted), if any. */
  private async runningRun(planned: PlannedObject, info: ResourceInfo, run: string): Promise<KubernetesObject | undefined> {
    const selector = `${BUNDLE_LABEL}=${this.deps.bundleName},${HOOK_RUN_LABEL}=${run}`;
    try {
      const list = await this.deps.kube.request<{ items?: KubernetesObject[] }>('GET', objectPath({ ...planned.ref, name: '' }, info), { query: { labelSelector: selector } });
      // Items of a list carry no kind or apiVersion: the hook's own, for the completion rules.
      const items = (list.items ?? []).map((o) => ({ ...o, apiVersion: planned.ref.apiVersion, kind: planned.ref.kind }));
      const running = items.filter((o) => !o.metadata?.deletionTimestamp && hookCompletion(o).state === 'running');
      return running.sort((a, b) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')))[0];
    } catch (error) {
      // Not knowing costs a second copy, never a missed run.
      this.deps.logger.warn('earlier runs of a hook could not be listed', { hook: describeRef(planned.ref), error: messageOf(error) });
      return undefined;
    }
  }

  /** Reads the hook until it completed, failed or its deadline passed. */
  private async await(path: string, created: KubernetesObject, deadline: number) {
    let live: KubernetesObject | undefined = created;
    let last = 'not read yet';
    for (;;) {
      if (live) {
        const completion = hookCompletion(live);
        if (completion.state !== 'running') return completion;
        last = completion.message;
      } else {
        last = 'the hook was deleted while it ran';
      }
      if (Date.now() >= deadline) return { state: 'timeout' as const, message: `last status: ${last}` };
      await sleep(Math.min(this.pollMs, Math.max(0, deadline - Date.now())));
      try {
        live = await this.deps.kube.request<KubernetesObject>('GET', path);
      } catch (error) {
        if (!isNotFound(error)) last = `cannot read it: ${messageOf(error)}`;
        live = undefined;
      }
    }
  }

  /** Deletes the previous run of a hook and waits until it is gone (Argo CD's BeforeHookCreation). */
  private async deleteAndWait(path: string, deadline: number): Promise<void> {
    try {
      const previous = await this.deps.kube.request<KubernetesObject>('GET', path);
      // Another bundle's object is never deleted; creating the hook then fails with OwnershipConflict.
      if (previous.metadata?.labels?.[BUNDLE_LABEL] !== this.deps.bundleName) return;
      await this.deps.kube.request('DELETE', path, { body: { propagationPolicy: 'Background' } });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    for (;;) {
      try {
        await this.deps.kube.request('GET', path);
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
      if (Date.now() >= deadline) throw new AgentError('HookFailed', 'timed out waiting for the previous run of the hook to be deleted');
      await sleep(this.pollMs);
    }
  }
}

/** The run label of a generateName hook: its revision, phase and key, hashed to fit a label value. */
function hookRunLabel(revision: string, hook: PlannedHook): string {
  return createHash('sha256').update(`${revision}\0${hook.phase}\0${hook.planned.key}`).digest('hex').slice(0, 40);
}
