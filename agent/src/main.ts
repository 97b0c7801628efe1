import { readFileSync } from 'node:fs';
import { Agent } from './agent.js';
import { ConfigError, loadConfig } from './config/config.js';
import { clusterIdentity } from './connection/cluster-identity.js';
import { CredentialStore } from './connection/credential.store.js';
import { HubClient } from './connection/hub.client.js';
import { obtainCredential } from './connection/registration.js';
import { messageOf } from './errors.js';
import { connectKube } from './kube/kube.js';
import { createLogger } from './log/logger.js';
import { ProbeServer, type Readiness } from './probes/probe.server.js';
import { AGENT_VERSION } from './version.js';

/** Bootstrap only: configuration → clients → credential → agent. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { readFile: (path) => readFileSync(path, 'utf8') });
  const logger = createLogger(config.logLevel);
  logger.info('flotilla agent starting', { version: AGENT_VERSION, hub: config.hubAddress, namespace: config.agentNamespace });
  const kube = await connectKube(config.kubeconfigPath);
  const hub = new HubClient(config.hubAddress, config.hubTls);
  const shutdown = new AbortController();
  let readiness: Readiness = { ready: false, reason: 'obtaining the cluster credential (stored Secret or registration; see the log)' };
  const probes = new ProbeServer(() => readiness);
  if (config.probePort !== undefined) logger.info('probes listening', { port: await probes.listen(config.probePort), paths: ['/healthz', '/readyz'] });

  const credential = await obtainCredential({
    config,
    store: new CredentialStore(kube, config.agentNamespace),
    hub,
    identity: await clusterIdentity(kube),
    logger,
    signal: shutdown.signal,
  });
  if (!credential) return;
  const agent = new Agent({ config, kube, hub, logger });
  await agent.start(credential.credential);
  readiness = { ready: true };

  const stop = (signal: string) => {
    logger.info('stopping', { signal });
    shutdown.abort();
    readiness = { ready: false, reason: 'stopping' };
    void Promise.all([agent.stop(), probes.close()]).finally(() => {
      hub.close();
      kube.close();
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

// A bug must not leave a half-working agent: log it and exit; the pod restarts and resumes from the cluster.
process.on('uncaughtException', (error) => fatal(`unexpected error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (error) => fatal(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));

function fatal(message: string): never {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: message })}\n`);
  process.exit(1);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `invalid configuration: ${error.message}` : messageOf(error);
  fatal(`flotilla agent cannot start: ${message}`);
});
