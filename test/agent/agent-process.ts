/**
 * Runs the built agent (`agent/dist/main.js`) as a real process against a
 * test cluster and a test hub, the way the chart runs it in a pod.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { repoPath } from '../support/paths.ts';

/** The Node flags the chart runs the agent with by default (`nodeOptions` in charts/agent/values.yaml). */
export const CHART_NODE_OPTIONS: string[] = (parse(readFileSync(repoPath('charts/agent/values.yaml'), 'utf8')) as { nodeOptions: string[] }).nodeOptions;

export interface AgentProcessOptions {
  hubAddress: string;
  caFile?: string;
  token?: string;
  kubeconfigPath: string;
  clusterName?: string;
  labels?: Record<string, string>;
  namespace: string;
  env?: Record<string, string>;
  /** Node flags before the script; default: the chart's (CHART_NODE_OPTIONS). */
  nodeOptions?: string[];
}

export interface AgentProcess {
  /** Everything the agent logged so far. */
  logs(): string;
  pid(): number | undefined;
  start(): void;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait (a crash). */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function agentBuilt(): void {
  if (!existsSync(repoPath('agent/dist/main.js'))) throw new Error('the agent is not built: run `npm run build`');
}

export function agentProcess(options: AgentProcessOptions): AgentProcess {
  let child: ChildProcess | undefined;
  let output = '';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    KUBECONFIG: options.kubeconfigPath,
    FLOTILLA_HUB_ADDRESS: options.hubAddress,
    FLOTILLA_AGENT_NAMESPACE: options.namespace,
    FLOTILLA_LOG_LEVEL: 'debug',
    // Tests restart hubs: reconnect quickly.
    FLOTILLA_RECONNECT_MAX_SECONDS: '2',
    FLOTILLA_REPORT_INTERVAL_SECONDS: '5',
    ...(options.caFile ? { FLOTILLA_HUB_CA_FILE: options.caFile } : { FLOTILLA_HUB_INSECURE: 'true' }),
    ...(options.token ? { FLOTILLA_REGISTRATION_TOKEN: options.token } : {}),
    ...(options.clusterName ? { FLOTILLA_CLUSTER_NAME: options.clusterName } : {}),
    ...(options.labels ? { FLOTILLA_CLUSTER_LABELS: Object.entries(options.labels).map(([k, v]) => `${k}=${v}`).join(',') } : {}),
    ...options.env,
  };
  const wait = async (signal: NodeJS.Signals) => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };
  return {
    logs: () => output,
    pid: () => child?.pid,
    start: () => {
      const proc = spawn(process.execPath, [...(options.nodeOptions ?? CHART_NODE_OPTIONS), repoPath('agent/dist/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      running.add(proc);
      proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      proc.once('exit', () => running.delete(proc));
    },
    stop: () => wait('SIGTERM'),
    kill: () => wait('SIGKILL'),
  };
}
