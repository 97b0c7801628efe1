import type { Labels } from '@flotilla/core';

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
 * Labels of a (re-)registering cluster. Later sources win: what the hub
 * already holds (including edits made through the API), then the token's
 * labels, then the labels the agent was installed with — the install is the
 * freshest statement of intent, as with Fleet's agent `labels` value.
 */
export function registrationLabels(existing: Labels, token: Labels, agent: Labels): Labels {
  return { ...existing, ...token, ...agent };
}
