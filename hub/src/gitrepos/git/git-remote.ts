import type { SecretBox } from '../../security/secret-box.js';
import { secretContext } from '../../security/gitrepo-secrets.js';
import type { GitCredentials } from './git-auth.js';
import type { GitRemote } from './git-client.js';

/** The columns of a GitRepo that say how to reach it. */
export interface GitRepoRemoteRow {
  id: string;
  repo: string;
  credentials: Uint8Array | null;
  caBundle: string;
  insecureSkipTlsVerify: boolean;
}

/** How to reach a GitRepo: its URL, its credentials opened from their seal (in memory only), its TLS settings. */
export function gitRemoteOf(repo: GitRepoRemoteRow, box: SecretBox): GitRemote {
  const credentials = repo.credentials ? (JSON.parse(box.open(Buffer.from(repo.credentials), secretContext(repo.id, 'credentials'))) as GitCredentials) : undefined;
  return {
    url: repo.repo,
    ...(credentials ? { credentials } : {}),
    tls: { ...(repo.caBundle ? { caBundle: repo.caBundle } : {}), insecureSkipTlsVerify: repo.insecureSkipTlsVerify },
  };
}
