import { registerBundlePaths } from '../bundles/bundle.api.js';
import { registerGitRepoPaths } from '../gitrepos/gitrepo.api.js';
import { registerClusterPaths } from '../clusters/cluster.api.js';
import { registerStatusPaths } from '../status/status.api.js';
import { registerRegistrationTokenPaths } from '../registration/registration-token.api.js';
import { registerApiTokenPaths } from './api-token.api.js';
import { buildOpenApiDocument } from '../platform/http/openapi.document.js';
import { registerBundleSetPaths } from '../bundlesets/bundleset.api.js';
import { registerRolloutPaths } from '../rollouts/rollout.api.js';
import { registerEventPaths } from '../events/events.api.js';
import { registerWebhookPaths } from '../events/webhooks/webhook.api.js';

export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

export const openApiProvider = {
  provide: OPENAPI_DOCUMENT,
  useFactory: () => buildOpenApiDocument([registerClusterPaths, registerRegistrationTokenPaths, registerApiTokenPaths, registerBundlePaths, registerGitRepoPaths, registerBundleSetPaths, registerStatusPaths, registerRolloutPaths, registerEventPaths, registerWebhookPaths]),
};
