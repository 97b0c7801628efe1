import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Piscina } from 'piscina';
import type { HubConfig } from '../platform/config/config.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { BUNDLE_MANIFEST_LIMITS, parseManifests, type KubeObject } from './bundle-input.js';
import type { ParseOutcome, ParseTask } from './manifest-parser.worker.js';

/** Sizes of the pool; see the FLOTILLA_MANIFEST_PARSE* variables (platform/config/config.schema.ts). */
export interface ManifestParserOptions {
  /** Worker threads. */
  threads: number;
  /** Parses that may wait for a thread; the next one is refused with ParserBusy. */
  queue: number;
  /** A parse (waiting included) taking longer is stopped (its thread is terminated) and refused with ParserBusy. */
  timeoutMs: number;
  /** Inputs shorter than this (characters) are parsed on the calling thread. */
  inlineBelow: number;
}

/**
 * Parses bundle manifests off the event loop (issue #9): a large body used to
 * block REST and every agent stream for seconds to minutes. A small pool of
 * worker threads runs the @flotilla/core parser; work waiting for it is
 * bounded, so a burst of big bodies is refused (503 ParserBusy, retry later)
 * rather than piling up in memory.
 */
@Injectable()
export class ManifestParserPool implements OnModuleDestroy {
  private readonly pool: Piscina<ParseTask, ParseOutcome>;
  private readonly options: ManifestParserOptions;
  private pending = 0;

  constructor(
    @Inject(HUB_CONFIG) config: Pick<HubConfig, 'manifestParser'>,
    @Inject(HubMetrics) private readonly metrics: Pick<HubMetrics, 'manifestParses'>,
  ) {
    const { threads, queue, timeoutSeconds, inlineBelow } = config.manifestParser;
    this.options = { threads, queue, timeoutMs: timeoutSeconds * 1000, inlineBelow };
    this.pool = new Piscina({ filename: workerFile(), execArgv: withoutConditions(process.execArgv), minThreads: 0, maxThreads: threads, idleTimeout: 30_000 });
  }

  /** The objects of `text`; `InvalidManifest` naming `field` when it breaks a rule or a limit. */
  async parse(text: string, field = 'manifests'): Promise<KubeObject[]> {
    if (text.length < this.options.inlineBelow) return parseManifests(text, field);
    if (this.pending >= this.options.threads + this.options.queue) {
      throw new DomainError('ParserBusy', `${this.pending} manifest parses are running or waiting, the most this hub takes; try again shortly`, { field });
    }
    this.pending++;
    this.metrics.manifestParses.inc();
    try {
      const task: ParseTask = { text, source: field, limits: { ...BUNDLE_MANIFEST_LIMITS } };
      return objectsOf(await this.pool.run(task, { signal: AbortSignal.timeout(this.options.timeoutMs) }), field);
    } catch (error) {
      throw parseFailure(error, field, this.options.timeoutMs);
    } finally {
      this.pending--;
      this.metrics.manifestParses.dec();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.destroy();
  }
}

function objectsOf(outcome: ParseOutcome, field: string): KubeObject[] {
  if (!outcome.ok) throw new DomainError('InvalidManifest', outcome.message, { field });
  return outcome.objects;
}

function parseFailure(error: unknown, field: string, timeoutMs: number): unknown {
  if (error instanceof DomainError) return error;
  const name = (error as { name?: string } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new DomainError('ParserBusy', `parsing the manifests did not finish within ${timeoutMs / 1000} s; try again when the hub is less busy, or split the bundle`, { field, cause: error });
  }
  return error;
}

/**
 * The worker beside this module: built JavaScript in hub/dist; under the
 * tests, which run the sources, the TypeScript file itself.
 */
function workerFile(): string {
  const js = fileURLToPath(new URL('./manifest-parser.worker.js', import.meta.url));
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

/**
 * The process's Node flags less `--conditions`: the tests run with the
 * `@flotilla/source` condition (workspace packages as TypeScript sources),
 * which the worker, loaded by Node itself, cannot follow; it uses built
 * @flotilla/core, as in production.
 */
export function withoutConditions(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    if (flag === '--conditions' || flag === '-C') i++;
    else if (!flag.startsWith('--conditions=')) kept.push(flag);
  }
  return kept;
}
