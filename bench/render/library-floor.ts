/**
 * The cold phase's renders done by the render library alone, in this process: no hub, no API, no PostgreSQL,
 * no fan-out. Every bundle directory is loaded, customised per environment and rendered (`renderBundle`, the
 * code the hub and `flotilla render` run), `concurrency` at a time, its tools started from a ToolHost as the hub
 * starts them. No hub built on this library can render the tree faster on this machine: its wall time, this
 * process's CPU (loading, fleet.yaml, templating, overlays, parsing the tools' output) and the tools' CPU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customizeForCluster, loadBundleDir, renderBundle, resolveToolSet, ToolHost } from '@flotilla/render';
import { childPids, cpuSecondsWithChildren } from '../support/proc.ts';
import { ENVS, writeTree, type BenchBundle } from './tree.ts';

export interface LibraryFloor {
  ms: number;
  renders: number;
  /** This process's CPU for the renders (the library's own work). */
  nodeCpu: number;
  /** The tool host's and the tools' CPU. */
  toolCpu: number;
}

export async function libraryFloor(bundles: BenchBundle[], helm: string, kustomize: string, concurrency: number): Promise<LibraryFloor> {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-render-floor-'));
  const host = new ToolHost();
  // The host's channel does not keep a process alive (the hub has its servers); this one has nothing else.
  const alive = setInterval(() => undefined, 60_000);
  try {
    for (const b of bundles) writeTree(join(root, b.name), b.files);
    const tools = await resolveToolSet({ helm, kustomize, chartCacheDir: join(root, '.charts'), exec: host.exec });
    const jobs = bundles.flatMap((b) => ENVS.map((env) => ({ b, env })));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 0;
    let renders = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const { b, env } = jobs[next++]!;
        const source = await loadBundleDir(join(root, b.name), { name: b.name });
        const cluster = { name: `c-${env}`, labels: { env }, annotations: {}, groups: [] };
        const customised = customizeForCluster(source.fleetYaml, cluster, source.fleetYamlFile ? { file: source.fleetYamlFile } : {});
        if (!customised.deploy) throw new Error(`${b.name}: not deployed to ${env}`);
        const { objects } = await renderBundle({ bundleName: source.name, files: source.files, options: customised.options, tools });
        if (objects.length === 0) throw new Error(`${b.name}: rendered no objects for ${env}`);
        renders++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const ms = performance.now() - t0;
    const own = process.cpuUsage(cpu0);
    const toolCpu = childPids(process.pid, 'tool-host.js').reduce((sum, p) => sum + cpuSecondsWithChildren(p), 0);
    return { ms, renders, nodeCpu: (own.user + own.system) / 1e6, toolCpu };
  } finally {
    clearInterval(alive);
    host.close();
    rmSync(root, { recursive: true, force: true });
  }
}
