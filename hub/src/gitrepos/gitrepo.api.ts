import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { DNS_LABEL_PATTERN } from '@flotilla/core';
import { z } from 'zod';
import { bundleTargetSchema, deliveryWindowsSchema, rolloutStrategyApiSchema } from '../bundles/bundle.api.js';
import { errorResponses, json } from '../platform/http/common.schemas.js';
import { pageQueryFields, pageSchema } from '../platform/http/pagination.js';

/** A GitRepo name prefixes its bundles' names (Fleet's `<gitrepo>-<path>`), so it is short. */
const gitRepoName = z.string().max(40).regex(DNS_LABEL_PATTERN, 'must be a DNS label of at most 40 characters (it prefixes bundle names)');
export const gitRepoNameParams = z.strictObject({ name: gitRepoName });

export const listGitReposQuery = z.strictObject({ ...pageQueryFields });

/** As `git check-ref-format --branch`, without the rarely used corners: no option-like or path-escaping names. */
const refName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!\/)(?!.*[/.]$)(?!.*\.lock$)[^\s~^:?*[\\\x00-\x1f\x7f]+$/, 'must be a valid git branch, tag or commit name');

const credentialsSchema = z
  .strictObject({
    username: z.string().max(256).optional(),
    password: z.string().max(8192).optional().meta({ description: 'Password or access token (HTTPS)' }),
    sshPrivateKey: z.string().max(16384).optional().meta({ description: 'PEM / OpenSSH private key (ssh:// and user@host:path URLs)' }),
    knownHosts: z.string().max(65536).optional().meta({ description: 'known_hosts lines of the SSH host: required for SSH (no trust on first use)' }),
  })
  .meta({ id: 'GitCredentials', description: 'Write-only: stored encrypted, never returned' });

export const putGitRepoBody = z
  .strictObject({
    repo: z.string().min(1).max(2048).meta({ description: 'https://, http://, ssh://, user@host:path, or file:// (when the hub allows it)' }),
    branch: refName.optional(),
    revision: refName.optional().meta({ description: 'A tag, or a full commit sha, to follow instead of a branch' }),
    paths: z.array(z.string().min(1).max(1024)).max(100).default([]).meta({ description: 'Globs relative to the repository root; default the root' }),
    targets: z.array(bundleTargetSchema).max(1000).default([]),
    credentials: credentialsSchema.optional(),
    helmCredentials: z
      .strictObject({ username: z.string().max(256).optional(), password: z.string().max(8192).optional() })
      .optional()
      .meta({ description: 'Write-only: basic auth for chart repositories whose URL matches helmRepoUrlRegex' }),
    helmRepoUrlRegex: z.string().max(1024).default(''),
    webhookSecret: z.string().min(16, 'must be at least 16 characters').max(1024).optional().meta({ description: 'Write-only: the secret push webhooks are signed with' }),
    caBundle: z.string().max(256 * 1024).default(''),
    insecureSkipTlsVerify: z.boolean().default(false),
    pollingInterval: z.number().int().min(5).max(86400).default(15).meta({ description: 'Seconds between polls (ls-remote of the ref); default 15, as Fleet' }),
    disablePolling: z.boolean().default(false),
    paused: z.boolean().default(false),
    targetNamespace: z.string().max(63).regex(/^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name').default(''),
    keepResources: z.boolean().default(false),
    correctDrift: z.boolean().default(false),
    sourceOnly: z.boolean().default(false).meta({ description: 'Fetch only: make no bundles of its own (a source for BundleSets)' }),
    rolloutStrategy: rolloutStrategyApiSchema.optional().meta({ description: "Defaults for its bundles' rollouts (a fleet.yaml rolloutStrategy wins field by field)" }),
    schedule: deliveryWindowsSchema.optional().meta({ description: 'Delivery windows of its bundles; none: always open' }),
  })
  .refine((b) => !(b.branch && b.revision), { message: 'give branch or revision, not both', path: ['revision'] })
  .refine((b) => {
    try {
      new RegExp(b.helmRepoUrlRegex);
      return true;
    } catch {
      return false;
    }
  }, { message: 'must be a valid regular expression', path: ['helmRepoUrlRegex'] })
  .meta({ id: 'PutGitRepo' });

export type PutGitRepo = z.output<typeof putGitRepoBody>;

const gitRepoSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    repo: z.string(),
    branch: z.string().nullable(),
    revision: z.string().nullable(),
    paths: z.array(z.string()),
    targets: z.array(bundleTargetSchema),
    hasCredentials: z.boolean(),
    hasHelmCredentials: z.boolean(),
    hasWebhookSecret: z.boolean(),
    helmRepoUrlRegex: z.string(),
    caBundle: z.string(),
    insecureSkipTlsVerify: z.boolean(),
    pollingInterval: z.number(),
    disablePolling: z.boolean(),
    paused: z.boolean(),
    targetNamespace: z.string(),
    keepResources: z.boolean(),
    correctDrift: z.boolean(),
    sourceOnly: z.boolean(),
    rolloutStrategy: z.record(z.string(), z.unknown()).nullable(),
    schedule: z.array(z.object({ schedule: z.string(), duration: z.string(), location: z.string().optional() })).nullable(),
    rolloutPaused: z.boolean().meta({ description: 'POST /api/v1/gitrepos/{name}/rollout/pause|resume' }),
    status: z.object({
      ready: z.boolean(),
      reason: z.string().meta({ description: 'Ready, Pending, Paused, Rendering, FetchFailed, AuthFailed, RevisionNotFound, PathNotFound, RenderFailed, …' }),
      message: z.string(),
      commit: z.object({ sha: z.string(), message: z.string(), author: z.string(), time: z.string().nullable() }).nullable(),
      renderedCommit: z
        .object({ sha: z.string(), at: z.string().nullable() })
        .nullable()
        .meta({ description: 'The latest fetched commit at which every bundle rendered; it stays on the last good one while a newer commit fails to render' }),
      polledAt: z.string().nullable(),
      fetchedAt: z.string().nullable(),
      issues: z.array(z.object({ path: z.string().optional(), file: z.string().optional(), line: z.number().optional(), message: z.string() })),
      bundles: z.array(z.object({ name: z.string(), path: z.string(), state: z.string(), reason: z.string(), message: z.string() })),
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'GitRepo' });

export function registerGitRepoPaths(r: OpenAPIRegistry): void {
  const name = { params: gitRepoNameParams };
  r.registerPath({ method: 'put', path: '/api/v1/gitrepos/{name}', summary: 'Create or update a GitRepo (a sync starts at once)', request: { ...name, body: { content: { 'application/json': { schema: putGitRepoBody } } } }, responses: { 200: json(gitRepoSchema, 'Updated'), 201: json(gitRepoSchema, 'Created'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/gitrepos', summary: 'List GitRepos by name, a page at a time', request: { query: listGitReposQuery }, responses: { 200: json(pageSchema(gitRepoSchema), 'A page of GitRepos'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/gitrepos/{name}', summary: 'Get a GitRepo and its sync status', request: name, responses: { 200: json(gitRepoSchema, 'GitRepo'), ...errorResponses } });
  r.registerPath({ method: 'post', path: '/api/v1/gitrepos/{name}/refresh', summary: 'Fetch now (as a webhook would)', request: name, responses: { 202: json(gitRepoSchema, 'Sync requested'), ...errorResponses } });
  r.registerPath({ method: 'delete', path: '/api/v1/gitrepos/{name}', summary: 'Delete a GitRepo and its bundles; agents prune their objects unless keepResources', request: name, responses: { 204: { description: 'Deleted' }, ...errorResponses } });
  r.registerPath({ method: 'post', path: '/api/v1/webhooks/git', summary: 'Push webhook (GitHub, GitLab, Gitea, Gogs, Bitbucket Cloud and Server), verified with the GitRepo webhookSecret', description: 'The body is the provider\'s push payload as sent: application/json, or application/x-www-form-urlencoded with the JSON in its payload field (GitHub), at most 1 MiB.', responses: {
      202: { description: 'Matching GitRepos will fetch' },
      400: errorResponses[400],
      401: { ...errorResponses[401], description: 'WebhookSignatureInvalid: no GitRepo that follows this repository and ref verifies the delivery' },
      413: { ...errorResponses[400], description: 'PayloadTooLarge: the body is over 1 MiB' },
      415: { ...errorResponses[400], description: 'UnsupportedMediaType: neither application/json nor application/x-www-form-urlencoded' },
    },
  });
}
