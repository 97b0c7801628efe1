import type { KubernetesObject } from '@kubernetes/client-node';
import { objectPath, type Discovery } from '../apply/discovery.js';
import { Backoff } from '../connection/backoff.js';
import { sleep } from '../connection/sleep.js';
import { messageOf } from '../errors.js';
import { KubeApiError } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';
import { BUNDLE_LABEL, refOf, type ObjectRef } from '../kube/object-ref.js';
import type { Logger } from '../log/logger.js';

/** An applied object changed: `live` is undefined when it was deleted (or lost its bundle label). */
export type LiveEvent = (bundleName: string, ref: ObjectRef, live: KubernetesObject | undefined, deleted: boolean) => void;

/** What to watch: one kind, in one namespace (`''`: the whole cluster). */
export interface WatchTarget {
  apiVersion: string;
  kind: string;
  namespace: string;
}

/**
 * Watches the objects the agent applied: one watch per kind (per namespace
 * in namespaced mode), limited to objects carrying the `flotilla.dev/bundle`
 * label, so memory and traffic grow with what the agent manages, not with
 * the cluster. Events are passed on without keeping objects in memory.
 * Watches resume from the last resourceVersion (bookmarks keep it fresh) and
 * start over when it expired (410 Gone).
 */
export class LiveObjectsWatcher {
  private readonly watches = new Map<string, AbortController>();

  constructor(
    private readonly kube: KubeClient,
    private readonly discovery: Discovery,
    private readonly onEvent: LiveEvent,
    private readonly logger: Logger,
  ) {}

  /** Starts watches for new targets and stops those no longer needed. */
  setTargets(targets: WatchTarget[]): void {
    const wanted = new Map(targets.map((t) => [`${t.apiVersion}|${t.kind}|${t.namespace}`, t]));
    for (const [id, controller] of this.watches) {
      if (!wanted.has(id)) {
        controller.abort();
        this.watches.delete(id);
      }
    }
    for (const [id, target] of wanted) {
      if (this.watches.has(id)) continue;
      const controller = new AbortController();
      this.watches.set(id, controller);
      void this.run(target, controller.signal);
    }
  }

  stop(): void {
    this.setTargets([]);
  }

  private async run(target: WatchTarget, signal: AbortSignal): Promise<void> {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 60_000 });
    let resourceVersion: string | undefined;
    while (!signal.aborted) {
      try {
        const info = await this.discovery.lookup(target.apiVersion, target.kind);
        if (!info) throw new Error(`kind ${target.kind} in ${target.apiVersion} is not served`);
        const path = objectPath({ apiVersion: target.apiVersion, namespace: target.namespace }, info);
        const query = {
          labelSelector: BUNDLE_LABEL,
          timeoutSeconds: 240 + Math.floor(Math.random() * 120),
          ...(resourceVersion ? { resourceVersion } : {}),
        };
        await this.kube.watch(
          path,
          query,
          (event) => {
            const rv = event.object?.metadata?.resourceVersion as string | undefined;
            if (event.type === 'ERROR') {
              if (event.object?.code === 410) resourceVersion = undefined;
              throw new KubeApiError(event.object?.code ?? 0, event.object?.reason ?? 'WatchError', event.object?.message ?? 'watch error');
            }
            if (rv) resourceVersion = rv;
            if (event.type === 'BOOKMARK') return;
            const obj = event.object as KubernetesObject;
            const bundle = obj.metadata?.labels?.[BUNDLE_LABEL];
            if (!bundle) return;
            const deleted = event.type === 'DELETED';
            this.onEvent(bundle, refOf(obj), deleted ? undefined : obj, deleted);
          },
          signal,
        );
        backoff.reset();
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof KubeApiError && error.status === 410) resourceVersion = undefined;
        const delay = backoff.next();
        this.logger.debug('watch interrupted; restarting', { kind: target.kind, apiVersion: target.apiVersion, error: messageOf(error), retryInMs: delay });
        await sleep(delay, signal);
      }
    }
  }
}
