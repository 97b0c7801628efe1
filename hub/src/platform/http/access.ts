import { SetMetadata } from '@nestjs/common';

/** Metadata key of a route's access rule (read by api/auth.guard.ts). */
export const ACCESS = 'flotilla:access';
export type Access = 'public' | 'admin';

/** No API token needed (health, readiness, metrics, OpenAPI document, push webhooks that verify themselves). */
export const Public = () => SetMetadata(ACCESS, 'public' satisfies Access);
/** Admin role needed even for reads (e.g. listing API tokens). */
export const AdminOnly = () => SetMetadata(ACCESS, 'admin' satisfies Access);
