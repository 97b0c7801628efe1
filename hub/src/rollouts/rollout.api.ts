import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { bundleNameParams, rolloutStrategyApiSchema } from '../bundles/bundle.api.js';
import { errorResponses, json } from '../platform/http/common.schemas.js';
import { pageQueryFields, pageSchema } from '../platform/http/pagination.js';

export const promoteBody = z
  .strictObject({
    partition: z.string().min(1).max(253).optional().meta({ description: 'Default: the first partition that is halted or waits for approval' }),
  })
  .meta({ id: 'PromoteRollout' });

export const rollbackBody = z
  .strictObject({
    to: z.number().int().min(1).meta({ description: 'The history entry (seq) whose revision every cluster returns to' }),
    until: z.enum(['unpinned', 'newContent']).default('newContent').meta({
      description: 'newContent (default): the pin ends when the bundle changes (a new commit); unpinned: only an unpin ends it',
    }),
  })
  .meta({ id: 'RollbackRollout' });

export const historyQuery = z.strictObject({ ...pageQueryFields });

export const gitRepoNameParams = z.strictObject({ name: z.string().min(1).max(253) });

const problemSchema = z.object({ cluster: z.string(), state: z.string(), message: z.string() });

export const partitionStatusSchema = z
  .object({
    name: z.string(),
    state: z.enum(['Pending', 'Rolling', 'Done', 'Halted', 'AwaitingApproval']),
    count: z.number(),
    maxUnavailable: z.number(),
    unavailable: z.number().meta({ description: 'Clusters not yet Ready on the new revision' }),
    failed: z.array(problemSchema).meta({ description: 'Failed clusters (at most 20 named)' }),
    requireApproval: z.boolean(),
    promoted: z.boolean(),
  })
  .meta({ id: 'PartitionStatus' });

export const rolloutSchema = z
  .object({
    seq: z.number(),
    state: z.enum(['Progressing', 'Waiting', 'Halted', 'AwaitingApproval', 'Paused', 'OutsideWindow', 'Completed', 'Superseded']),
    message: z.string(),
    cause: z.string().meta({ description: 'created, change, newContent, rollback to #N, unpin' }),
    commit: z.string(),
    revision: z.string().nullable(),
    source: z.string().nullable(),
    partitions: z.array(partitionStatusSchema),
    promoted: z.array(z.string()),
    outcome: z.record(z.string(), z.unknown()),
    waitUntil: z.string().nullable().meta({ description: 'Outside every delivery window: when the next opens' }),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Rollout', description: 'One entry of a bundle\'s revision history: a rollout of one content' });

export const bundleRolloutSchema = z
  .object({
    bundle: z.string(),
    paused: z.boolean().meta({ description: 'Paused by the API, fleet.yaml or the GitRepo (pausedBy says which)' }),
    pausedBy: z.array(z.enum(['api', 'fleet.yaml', 'gitRepo'])),
    pinned: z.object({ seq: z.number().nullable(), until: z.enum(['unpinned', 'newContent']) }).nullable(),
    strategy: rolloutStrategyApiSchema.meta({ description: 'The effective strategy (fleet.yaml or API over GitRepo defaults)' }),
    rollout: rolloutSchema.nullable(),
  })
  .meta({ id: 'BundleRollout' });

export function registerRolloutPaths(r: OpenAPIRegistry): void {
  const name = { params: bundleNameParams };
  const ok = { 200: json(bundleRolloutSchema, 'The bundle\'s rollout after the action'), ...errorResponses };
  r.registerPath({ method: 'get', path: '/api/v1/bundles/{name}/rollout', summary: 'The current rollout of a bundle: partitions, what halts or holds it', request: name, responses: ok });
  r.registerPath({ method: 'get', path: '/api/v1/bundles/{name}/rollouts', summary: 'Revision history of a bundle, newest first, a page at a time', request: { ...name, query: historyQuery }, responses: { 200: json(pageSchema(rolloutSchema), 'A page of history entries'), ...errorResponses } });
  r.registerPath({ method: 'post', path: '/api/v1/bundles/{name}/rollout/pause', summary: 'Pause the bundle\'s rollouts: nothing new is deployed', request: name, responses: ok });
  r.registerPath({ method: 'post', path: '/api/v1/bundles/{name}/rollout/resume', summary: 'Resume the bundle\'s rollouts', request: name, responses: ok });
  r.registerPath({ method: 'post', path: '/api/v1/bundles/{name}/rollout/promote', summary: 'Start a partition that waits for approval, or continue past a halted one', request: { ...name, body: { content: { 'application/json': { schema: promoteBody } } } }, responses: ok });
  r.registerPath({ method: 'post', path: '/api/v1/bundles/{name}/rollout/rollback', summary: 'Roll every cluster back to a history entry\'s revision and pin the bundle there', request: { ...name, body: { content: { 'application/json': { schema: rollbackBody } } } }, responses: ok });
  r.registerPath({ method: 'post', path: '/api/v1/bundles/{name}/rollout/unpin', summary: 'End a rollback pin: the bundle rolls to its own content again', request: name, responses: ok });
  const repo = { params: gitRepoNameParams };
  r.registerPath({ method: 'post', path: '/api/v1/gitrepos/{name}/rollout/pause', summary: 'Pause the rollouts of every bundle of a GitRepo', request: repo, responses: { 204: { description: 'Paused' }, ...errorResponses } });
  r.registerPath({ method: 'post', path: '/api/v1/gitrepos/{name}/rollout/resume', summary: 'Resume the rollouts of a GitRepo\'s bundles', request: repo, responses: { 204: { description: 'Resumed' }, ...errorResponses } });
}
