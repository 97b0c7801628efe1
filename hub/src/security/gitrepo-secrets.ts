/** The GitRepo columns that hold sealed secrets (security/secret-box.ts). */
export const SEALED_COLUMNS = ['credentials', 'helmCredentials', 'webhookSecret'] as const;
export type SealedColumn = (typeof SEALED_COLUMNS)[number];

/** Authenticated data of a sealed value: it opens only in its own row and column. */
export function secretContext(gitRepoId: string, column: SealedColumn): string {
  return `gitrepo:${gitRepoId}:${column}`;
}
