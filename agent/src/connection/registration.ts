import { readFileSync } from 'node:fs';
import type { AgentConfig, TokenSource } from '../config/config.js';
import { messageOf } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { AGENT_VERSION } from '../version.js';
import { Backoff } from './backoff.js';
import { CREDENTIAL_SECRET, type CredentialStore, type StoredCredential } from './credential.store.js';
import type { HubClient } from './hub.client.js';
import { hubFailure } from './hub-failure.js';
import { classifyRegisterFailure, ClusterIdentityTakenError, TokenRejectedError } from './registration.errors.js';
import { sleep } from './sleep.js';

export interface RegistrationDeps {
  config: AgentConfig;
  store: CredentialStore;
  hub: HubClient;
  identity: string;
  logger: Logger;
  signal: AbortSignal;
}

/**
 * The cluster credential: from Secret `flotilla-agent-credential` when the
 * agent registered before, else by registering once with the registration
 * token. The token is never used again after a credential was stored, even
 * when it is still configured (it may have a use count, and a new Register
 * replaces the cluster's credential).
 */
export async function obtainCredential(deps: RegistrationDeps): Promise<StoredCredential | undefined> {
  const { config, store, hub, logger, signal } = deps;
  const existing = await store.load();
  if (existing) {
    logger.info('using the stored cluster credential', { secret: CREDENTIAL_SECRET, clusterId: existing.clusterId, clusterName: existing.clusterName });
    return existing;
  }
  const backoff = new Backoff({ initialMs: 1000, maxMs: config.reconnectMaxSeconds * 1000 });
  while (!signal.aborted) {
    const token = readToken(config.registrationToken);
    let nonce: string;
    try {
      nonce = await store.registrationNonce();
    } catch (error) {
      const delay = backoff.next();
      logger.error(
        `cannot create Secret ${CREDENTIAL_SECRET} in namespace ${config.agentNamespace}, where the cluster credential is kept; ` +
          'not registering until it can be stored (registering would use the token for a credential that could be lost)',
        { error: messageOf(error), retryInMs: delay },
      );
      await sleep(delay, signal);
      continue;
    }
    let registered: StoredCredential;
    try {
      registered = await hub.register({
        token,
        clusterIdentity: deps.identity,
        labels: config.clusterLabels,
        agentVersion: AGENT_VERSION,
        clusterName: config.clusterName,
        registrationNonce: nonce,
      });
    } catch (error) {
      // Both a rejected token and a rejected request are terminal for these
      // inputs, so neither is retried at the reconnect pace: like Fleet's
      // agent, keep trying (slowly, every rejectedRetrySeconds) rather than
      // exit, because the token file can be rotated under a running agent and
      // the hub may be fixed. But say which one it was: a bad cluster name or
      // label is fixed in the agent's configuration, not with a new token.
      const rejected = classifyRegisterFailure(error);
      if (rejected instanceof ClusterIdentityTakenError) {
        logger.error(
          `the hub refused to register this cluster: ${rejected.failure.details}. The hub already knows this cluster ` +
            `(its Secret ${CREDENTIAL_SECRET} was lost, or another agent registered it): give the agent a registration token issued for this cluster ` +
            '(FLOTILLA_REGISTRATION_TOKEN or its file; the agent rereads the file) or have the cluster deregistered on the hub',
          { code: rejected.failure.code, reason: rejected.failure.reason, retryInSeconds: config.rejectedRetrySeconds },
        );
        await sleep(config.rejectedRetrySeconds * 1000, signal);
      } else if (rejected instanceof TokenRejectedError) {
        logger.error('the hub rejected the registration token; create a new token on the hub and update FLOTILLA_REGISTRATION_TOKEN (or its file)', {
          ...rejected.failure,
          retryInSeconds: config.rejectedRetrySeconds,
        });
        await sleep(config.rejectedRetrySeconds * 1000, signal);
      } else if (rejected) {
        logger.error(`${rejected.message}; fix the agent's configuration (cluster name, labels) and restart it`, {
          ...rejected.failure,
          retryInSeconds: config.rejectedRetrySeconds,
        });
        await sleep(config.rejectedRetrySeconds * 1000, signal);
      } else {
        const delay = backoff.next();
        const failure = hubFailure(error);
        logger.warn('cannot reach the hub to register; retrying', { error: failure.details, code: failure.code, reason: failure.reason, retryInMs: delay });
        await sleep(delay, signal);
      }
      continue;
    }
    await saveUntilStored(store, registered, logger, signal);
    logger.info('registered with the hub', { clusterId: registered.clusterId, clusterName: registered.clusterName });
    return registered;
  }
  return undefined;
}

/** The credential only exists in this process until stored: keep trying, never register again. */
async function saveUntilStored(store: CredentialStore, value: StoredCredential, logger: Logger, signal: AbortSignal): Promise<void> {
  const backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
  while (!signal.aborted) {
    try {
      await store.save(value);
      return;
    } catch (error) {
      const delay = backoff.next();
      logger.error(`cannot store the cluster credential in Secret ${CREDENTIAL_SECRET}; retrying`, { error: messageOf(error), retryInMs: delay });
      await sleep(delay, signal);
    }
  }
}

function readToken(source: TokenSource): string {
  if (source.kind === 'value') return source.value;
  if (source.kind === 'file') {
    try {
      return readFileSync(source.path, 'utf8').trim();
    } catch (error) {
      throw new Error(`FLOTILLA_REGISTRATION_TOKEN_FILE: cannot read ${source.path}: ${messageOf(error)}`, { cause: error });
    }
  }
  throw new Error(
    `the agent has no credential yet (no Secret ${CREDENTIAL_SECRET}) and no registration token: ` +
      'set FLOTILLA_REGISTRATION_TOKEN or FLOTILLA_REGISTRATION_TOKEN_FILE to a token created on the hub',
  );
}
