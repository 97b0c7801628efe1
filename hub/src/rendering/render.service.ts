import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { isRenderError, renderBundle, resolveToolSet, ToolHost, type ChartCredentials, type DeploymentOptions, type FleetYaml, type ToolSet } from '@flotilla/render';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { bundleContent } from '../bundles/bundle-content.js';
import { validateObjects } from '../bundles/bundle-input.js';
import { decodeSourceFiles } from '../bundles/bundle-source.codec.js';
import { FanoutQueue } from '../delivery/fanout.queue.js';
import { readGroupSelectors, readTargetableClusters } from '../delivery/fanout.reads.js';
import { neededCustomisations } from '../delivery/rendered-desired.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { isDomainError } from '../platform/errors/domain-error.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { SecretBox } from '../security/secret-box.js';
import { secretContext } from '../security/gitrepo-secrets.js';
import { agentOptions, type Customisation } from '../target/rendered-target.js';
import type { BundleTarget } from '../target/bundle-target.js';

/** What one render job did. */
export interface RenderJobResult {
  rendered: number;
  failed: number;
}

/**
 * Renders the customisations of a directory bundle that have no stored render
 * yet — once per distinct customisation, however many clusters share it — and
 * stores each as a content-addressed revision (or its error), then runs the
 * bundle's fan-out. A failed render stores the error and changes no
 * deployment: those clusters stay on their last good revision.
 */
@Injectable()
export class RenderService implements OnModuleDestroy {
  private readonly logger = new Logger(RenderService.name);
  private tools?: Promise<ToolSet>;
  /** helm and kustomize are started from a small helper process: a fork of this one would block its event loop each time. */
  private readonly host = new ToolHost();
  private readonly box: SecretBox;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(FanoutQueue) private readonly fanout: FanoutQueue,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    this.box = new SecretBox(config.secretKeys);
  }

  onModuleDestroy(): void {
    this.host.close();
  }

  async renderBundle(bundleId: string): Promise<RenderJobResult> {
    const bundle = await this.prisma.bundle.findUnique({
      where: { id: bundleId },
      select: { name: true, targets: true, sourceId: true, gitRepo: { select: { id: true, helmCredentials: true, helmRepoUrlRegex: true } } },
    });
    if (!bundle?.sourceId) return { rendered: 0, failed: 0 };
    const source = await this.prisma.bundleSource.findUnique({ where: { id: bundle.sourceId }, select: { content: true, fleetYaml: true } });
    if (!source) return { rendered: 0, failed: 0 };
    const [clusters, groups, stored] = await Promise.all([
      readTargetableClusters(this.prisma),
      readGroupSelectors(this.prisma),
      this.prisma.bundleRender.findMany({ where: { sourceId: bundle.sourceId }, select: { key: true } }),
    ]);
    const have = new Set(stored.map((r) => r.key));
    const needed = neededCustomisations({ name: bundle.name, targets: bundle.targets as BundleTarget[], fleetYaml: source.fleetYaml as FleetYaml }, clusters, groups);
    const missing = [...needed.byKey.values()].filter((c) => !have.has(c.key));
    const result: RenderJobResult = { rendered: 0, failed: 0 };
    if (missing.length) {
      const files = decodeSourceFiles(source.content);
      const chartCredentials = this.chartCredentials(bundle.gitRepo);
      for (const customisation of missing) {
        const ok = await this.renderOne(bundle.name, bundle.sourceId, files, customisation, chartCredentials);
        result[ok ? 'rendered' : 'failed']++;
      }
    }
    await this.fanout.reconcileBundle(bundleId);
    return result;
  }

  private async renderOne(bundleName: string, sourceId: string, files: ReturnType<typeof decodeSourceFiles>, c: Customisation, chartCredentials?: ChartCredentials): Promise<boolean> {
    const stop = this.metrics.renderSeconds.startTimer();
    try {
      const { kind, objects } = await renderBundle({ bundleName, files, options: c.options, tools: await this.toolSet(), ...(chartCredentials ? { chartCredentials } : {}) });
      // The same bounds and identity rules as objects sent to the bundle API.
      const content = bundleContent(validateObjects(objects, `render of ${bundleName}`));
      await this.prisma.bundleRevision.upsert({
        where: { id: content.revision },
        create: { id: content.revision, content: new Uint8Array(content.bytes), size: content.bytes.length, resourceCount: content.resourceCount },
        update: { unreferencedSince: null },
      });
      await this.store(sourceId, c, { revisionId: content.revision, reason: '', message: '' });
      this.metrics.renders.inc({ kind, result: 'rendered' });
      return true;
    } catch (error) {
      const known = isRenderError(error) ? { reason: error.reason, message: error.message } : isDomainError(error) ? { reason: error.reason, message: error.message } : undefined;
      if (!known) throw error;
      this.logger.warn('render failed', { bundle: bundleName, reason: known.reason, message: known.message, clusters: c.clusterIds.length });
      await this.store(sourceId, c, { revisionId: null, ...known });
      this.metrics.renders.inc({ kind: 'unknown', result: 'failed' });
      return false;
    } finally {
      stop();
    }
  }

  private async store(sourceId: string, c: Customisation, r: { revisionId: string | null; reason: string; message: string }): Promise<void> {
    const data = { ...r, options: agentOptions(c.options as DeploymentOptions) as Prisma.InputJsonValue, renderedAt: new Date() };
    await this.prisma.bundleRender.upsert({ where: { sourceId_key: { sourceId, key: c.key } }, create: { sourceId, key: c.key, ...data }, update: data });
  }

  /** A GitRepo bundle's helm credentials (helmCredentials, limited to helmRepoUrlRegex when set), opened for this job only. */
  private chartCredentials(repo: { id: string; helmCredentials: Uint8Array | null; helmRepoUrlRegex: string } | null): ChartCredentials | undefined {
    if (!repo?.helmCredentials) return undefined;
    const auth = JSON.parse(this.box.open(repo.helmCredentials, secretContext(repo.id, 'helmCredentials'))) as { username?: string; password?: string };
    return { auth, ...(repo.helmRepoUrlRegex ? { urlPattern: new RegExp(repo.helmRepoUrlRegex) } : {}) };
  }

  /** Found on first use, so a hub without helm still starts; a missing tool fails each render with ToolMissing. */
  private toolSet(): Promise<ToolSet> {
    this.tools ??= resolveToolSet({
      ...(this.config.render.helm ? { helm: this.config.render.helm } : {}),
      ...(this.config.render.kustomize ? { kustomize: this.config.render.kustomize } : {}),
      chartCacheDir: this.config.render.chartCacheDir,
      limits: { timeoutMs: this.config.render.timeoutSeconds * 1000 },
      exec: this.host.exec,
    }).catch((error: unknown) => {
      this.tools = undefined;
      throw error;
    });
    return this.tools;
  }
}
