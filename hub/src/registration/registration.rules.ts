import { secretMatches } from '../security/secret-token.js';
import { labelKeyProblem, type LabelProblem, type Labels } from '@flotilla/core';

export interface TokenState {
  revokedAt: Date | null;
  expiresAt: Date | null;
  maxUses: number | null;
  uses: number;
}

export type TokenRejection = 'RegistrationTokenRevoked' | 'RegistrationTokenExpired' | 'RegistrationTokenExhausted';

/** Why a token whose secret matched may still not be used now (pure). */
export function tokenRejection(token: TokenState, now: Date): TokenRejection | undefined {
  if (token.revokedAt) return 'RegistrationTokenRevoked';
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return 'RegistrationTokenExpired';
  if (token.maxUses !== null && token.uses >= token.maxUses) return 'RegistrationTokenExhausted';
  return undefined;
}

/**
 * What a Register may do with an identity (issue #9). The identity (the
 * kube-system UID) is not a secret, so knowing it proves nothing: an existing
 * cluster is re-attached only with a token bound to that very cluster,
 * whatever its connection (online, offline, revoked); a bound token does
 * nothing else; an unbound token only creates clusters.
 */
export type AttachDecision<C extends { id: string }> =
  | { kind: 'create' }
  | { kind: 'reattach'; cluster: C }
  | { kind: 'retry'; cluster: C }
  | { kind: 'identity-taken'; cluster: C }
  | { kind: 'token-bound-elsewhere'; clusterId: string };

/**
 * @param unansweredRetry the request is the same agent retrying a Register whose answer it never got
 *   (`isUnansweredRetry`): it re-attaches the cluster that Register created, without spending another use.
 */
export function attachDecision<C extends { id: string }>(tokenClusterId: string | null, existing: C | null, unansweredRetry = false): AttachDecision<C> {
  if (existing) {
    if (tokenClusterId === existing.id) return { kind: 'reattach', cluster: existing };
    return unansweredRetry ? { kind: 'retry', cluster: existing } : { kind: 'identity-taken', cluster: existing };
  }
  return tokenClusterId === null ? { kind: 'create' } : { kind: 'token-bound-elsewhere', clusterId: tokenClusterId };
}

/** What the hub recorded of a cluster's last Register. */
export interface LastRegistration {
  connection: string;
  registrationTokenId: string | null;
  registrationNonceHash: string | null;
}

/**
 * True when a Register is the retry of the cluster's last one by the agent
 * that made it: the cluster never connected since (still `pending`), the same
 * token, and the same registration nonce — a random secret only that agent
 * holds (it keeps it in its credential Secret before registering). Knowing the
 * identity and holding the token is not enough.
 */
export function isUnansweredRetry(last: LastRegistration, tokenId: string, nonce: string): boolean {
  if (!nonce || last.connection !== 'pending' || last.registrationTokenId !== tokenId || !last.registrationNonceHash) return false;
  return secretMatches(nonce, last.registrationNonceHash);
}

/** What a token says about labels: its own (authoritative) and which keys the agent may add. */
export interface TokenLabelPolicy {
  labels: Labels;
  /** null = any key the token does not set; [] = none; else exact keys and prefixes ending in `*`. */
  agentLabelKeys: readonly string[] | null;
}

/** Whether `key` matches one of `patterns` (an exact key, or a prefix when the pattern ends in `*`). */
export function agentLabelKeyAllowed(key: string, patterns: readonly string[] | null): boolean {
  if (patterns === null) return true;
  return patterns.some((p) => (p.endsWith('*') ? key.startsWith(p.slice(0, -1)) : key === p));
}

/**
 * The first agent label the token does not allow, or undefined. Refused
 * rather than dropped: a label the install asked for and silently lost would
 * target (or stop targeting) bundles without anyone noticing. A label equal
 * to the token's own value is no change and is accepted.
 */
export function agentLabelsProblem(agent: Labels, policy: TokenLabelPolicy): LabelProblem | undefined {
  for (const [key, value] of Object.entries(agent)) {
    const fixed = policy.labels[key];
    if (fixed !== undefined) {
      if (fixed === value) continue;
      return { key, message: `agent label ${key}=${value} is not allowed: the registration token sets ${key}=${fixed}, and the agent cannot change a token label; ${REMEDY}` };
    }
    if (!agentLabelKeyAllowed(key, policy.agentLabelKeys)) {
      const allows = policy.agentLabelKeys!.length === 0 ? 'allows the agent no labels' : `allows the agent only the label keys ${policy.agentLabelKeys!.join(', ')}`;
      return { key, message: `agent label ${key} is not allowed: the registration token ${allows}; ${REMEDY}` };
    }
  }
  return undefined;
}

const REMEDY = "remove it from the agent's labels (FLOTILLA_CLUSTER_LABELS, the chart's labels value) or ask the platform team for a token that allows it";

/**
 * Labels of a (re-)registering cluster once the agent's labels passed
 * agentLabelsProblem. Later sources win: what the hub already holds (hub-side
 * edits through the API), then the agent's allowed labels, then the token's:
 * the token is what the platform team issued, so it has the last word.
 */
export function registrationLabels(existing: Labels, token: Labels, agent: Labels): Labels {
  return { ...existing, ...agent, ...token };
}

/** Why an `agentLabelKeys` entry is malformed, or undefined: a label key, or a key prefix followed by one `*`. */
export function agentLabelKeyPatternProblem(pattern: string): string | undefined {
  if (!pattern.endsWith('*')) {
    const problem = labelKeyProblem(pattern);
    return problem && `${problem} (a prefix must end in "*")`;
  }
  const prefix = pattern.slice(0, -1);
  if (prefix === '') return '"*" alone is not a pattern: leave agentLabelKeys out (or null) to allow the agent every key the token does not set';
  if (!PREFIX.test(prefix) || prefix.split('/').length > 2) {
    return `"${pattern}" is not a label key prefix: letters, digits, "-", "_", "." and at most one "/", then a single "*" at the end`;
  }
  return undefined;
}

const PREFIX = /^[A-Za-z0-9][-A-Za-z0-9_./]*$/;
