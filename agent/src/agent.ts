import type { DeploymentAssignment, DesiredState } from '@flotilla/proto';
import { Discovery } from './apply/discovery.js';
import { InventoryStore } from './apply/inventory.store.js';
import type { AgentConfig } from './config/config.js';
import { ContentBatcher } from './connection/content-batcher.js';
import { CredentialStore } from './connection/credential.store.js';
import type { HubClient } from './connection/hub.client.js';
import { WatchLoop } from './connection/watch.loop.js';
import type { DryRunApplier } from './drift/index.js';
import { messageOf } from './errors.js';
import type { KubeClient } from './kube/kube-client.js';
import type { Logger } from './log/logger.js';
import type { ReconcileContext } from './reconcile/context.js';
import { DeploymentController } from './reconcile/deployment.controller.js';
import { driftApi } from './reconcile/drift-api.js';
import { LiveObjectsWatcher, type WatchTarget } from './reconcile/live-objects.watcher.js';
import { removeDeployment } from './reconcile/remove-deployment.js';
import { StatusReporter } from './report/status.reporter.js';
import { ContentSource } from './store/content.source.js';
import { ContentStore } from './store/content.store.js';
import { DesiredStateStore } from './store/desired-state.store.js';

export interface AgentDeps {
  config: AgentConfig;
  kube: KubeClient;
  hub: HubClient;
  logger: Logger;
}

/**
 * The agent: connection → store → reconcile → report, wired together.
 *
 * The desired state comes from the hub's Watch stream and is stored in the
 * cluster before it is acted on; on start the stored one is enforced at once,
 * so a restarted agent keeps its cluster as it was while the hub is away.
 * Each assigned deployment has a controller keyed by bundle name (its
 * inventory's name); bundles that are no longer assigned are removed.
 */
export class Agent {
  private readonly controllers = new Map<string, DeploymentController>();
  /** Bundles whose removal is in progress (their controller is gone already), until it settled. */
  private readonly removing = new Map<string, Promise<unknown>>();
  private assignedRevisions = new Set<string>();
  private readonly ctx: ReconcileContext;
  private readonly desiredStore: DesiredStateStore;
  private readonly credentials: CredentialStore;
  private readonly contentStore: ContentStore;
  private readonly reporter: StatusReporter;
  private readonly watcher: LiveObjectsWatcher;
  private readonly watchLoop: WatchLoop;
  private readonly drift: DryRunApplier;
  private generation = '';
  private credential = '';
  private resyncTimer: NodeJS.Timeout | undefined;
  private desiredQueue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AgentDeps) {
    const { config, kube, hub, logger } = deps;
    const ns = config.agentNamespace;
    const discovery = new Discovery(kube);
    const fetches = new ContentBatcher({
      fetchOne: (revision) => hub.fetchContent(this.credential, revision),
      fetchMany: (revisions) => hub.fetchContents(this.credential, revisions),
    });
    this.contentStore = new ContentStore(kube, ns);
    this.desiredStore = new DesiredStateStore(kube, ns);
    this.credentials = new CredentialStore(kube, ns);
    this.ctx = {
      kube,
      discovery,
      inventories: new InventoryStore(kube, ns),
      content: new ContentSource(this.contentStore, (revision) => fetches.fetch(revision)),
      allowedNamespaces: config.namespaces,
      hookTimeoutMs: config.hookTimeoutSeconds * 1000,
      logger,
    };
    this.drift = driftApi(kube, discovery);
    this.reporter = new StatusReporter({
      send: async (statuses) => void (await hub.reportStatus(this.credential, statuses)),
      logger,
      intervalMs: config.reportIntervalSeconds * 1000,
    });
    this.watcher = new LiveObjectsWatcher(
      kube,
      discovery,
      (bundle, ref, live, deleted) => this.controllers.get(bundle)?.liveChanged(live, ref, deleted),
      logger,
    );
    this.watchLoop = new WatchLoop({
      hub,
      credential: async () => {
        const stored = await this.credentials.load();
        if (stored) this.credential = stored.credential;
        return stored?.credential;
      },
      knownGeneration: () => this.generation,
      handlers: {
        onConnected: () => this.reporter.setOnline(true),
        onDesiredState: (state) => this.receive(state),
        onDisconnected: () => this.reporter.setOnline(false),
      },
      logger,
      reconnectMaxMs: config.reconnectMaxSeconds * 1000,
      rejectedRetryMs: config.rejectedRetrySeconds * 1000,
    });
  }

  /** Enforces the stored desired state, then connects to the hub. */
  async start(credential: string): Promise<void> {
    this.credential = credential;
    const stored = await this.desiredStore.load();
    if (stored) {
      this.deps.logger.info('enforcing the stored desired state', { generation: stored.generation, deployments: stored.deployments.length });
      await this.enqueueDesired(stored);
    }
    this.reporter.start();
    this.watchLoop.start();
    this.resyncTimer = setInterval(() => this.resync(), this.deps.config.resyncSeconds * 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.resyncTimer);
    this.watcher.stop();
    this.reporter.stop();
    await this.watchLoop.stop();
  }

  /** A desired state from the hub: stored first (it is what a restarted agent enforces), then applied. */
  private async receive(state: DesiredState): Promise<void> {
    this.deps.logger.info('desired state received', { generation: state.generation, deployments: state.deployments.length });
    await this.desiredStore.save(state);
    await this.enqueueDesired(state);
  }

  private enqueueDesired(state: DesiredState): Promise<void> {
    const run = this.desiredQueue.then(() => this.applyDesired(state));
    this.desiredQueue = run.catch((error: unknown) => this.deps.logger.error('applying the desired state failed', { error: messageOf(error) }));
    return this.desiredQueue;
  }

  private async applyDesired(state: DesiredState): Promise<void> {
    this.generation = state.generation;
    this.assignedRevisions = new Set(state.deployments.map((d) => d.revision));
    const assigned = new Map<string, DeploymentAssignment>(state.deployments.map((d) => [d.bundleName, d]));
    for (const [bundle, controller] of this.controllers) {
      if (assigned.has(bundle)) continue;
      this.controllers.delete(bundle);
      this.reporter.remove(controller.deploymentId);
      this.track(bundle, controller.remove().finally(() => this.refreshWatches()));
    }
    // A bundle assigned again while its removal runs (delete hooks may take minutes) waits for it to end.
    for (const bundle of assigned.keys()) await this.removing.get(bundle);
    for (const assignment of assigned.values()) {
      let controller = this.controllers.get(assignment.bundleName);
      if (controller && controller.deploymentId !== assignment.deploymentId) this.reporter.remove(controller.deploymentId);
      if (!controller) {
        controller = new DeploymentController(
          {
            ctx: this.ctx,
            driftApi: this.drift,
            onStatus: (status) => this.reporter.update(status),
            onObjectsChanged: () => this.refreshWatches(),
            logger: this.deps.logger,
          },
          assignment,
        );
        this.controllers.set(assignment.bundleName, controller);
      }
      controller.update(assignment);
    }
    await this.removeOrphans();
  }

  /** Inventories of bundles that are assigned no more, e.g. removed while the agent was down. */
  private async removeOrphans(): Promise<void> {
    try {
      for (const inventory of await this.ctx.inventories.list()) {
        const bundle = inventory.bundleName;
        if (this.controllers.has(bundle) || this.removing.has(bundle)) continue;
        // Not awaited: a removal may wait minutes for its delete hooks; desired states must not wait behind it.
        this.track(
          bundle,
          removeDeployment(this.ctx, bundle).catch((error: unknown) =>
            this.deps.logger.warn('removing an unassigned bundle failed; retrying at the next resync', { bundle, error: messageOf(error) }),
          ),
        );
      }
      // Keep what is assigned and what is enforced now (a new revision may not be fetched yet).
      const keep = new Set(this.assignedRevisions);
      for (const c of this.controllers.values()) if (c.enforcedRevision) keep.add(c.enforcedRevision);
      await this.contentStore.retain(keep);
    } catch (error) {
      this.deps.logger.warn('housekeeping failed', { error: messageOf(error) });
    }
  }

  /** Records a removal in progress until it settles (failed or not). */
  private track(bundle: string, removal: Promise<unknown>): void {
    const settled = removal.catch(() => undefined).finally(() => this.removing.delete(bundle));
    this.removing.set(bundle, settled);
  }

  private resync(): void {
    for (const controller of this.controllers.values()) controller.resync();
    void (this.desiredQueue = this.desiredQueue.then(() => this.removeOrphans()));
  }

  private refreshWatches(): void {
    const targets = new Map<string, WatchTarget>();
    const namespaces = this.deps.config.namespaces;
    for (const controller of this.controllers.values()) {
      for (const ref of controller.appliedKinds()) {
        const namespace = namespaces ? ref.namespace : '';
        targets.set(`${ref.apiVersion}|${ref.kind}|${namespace}`, { apiVersion: ref.apiVersion, kind: ref.kind, namespace });
      }
    }
    this.watcher.setTargets([...targets.values()]);
  }
}
