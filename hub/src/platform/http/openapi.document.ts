import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { BUNDLE_BODY_LIMIT, DEFAULT_BODY_LIMIT, formatBytes } from './body-limit.js';
import { JSON_MEDIA_TYPE } from './json-body.rules.js';

/** Every feature contributes its paths through one of these functions. */
export type PathRegistration = (registry: OpenAPIRegistry) => void;

const DESCRIPTION = [
  'Fleet-wide GitOps hub. Reads need a readonly or admin API token; writes need admin.',
  `Request bodies are JSON only (content-type ${JSON_MEDIA_TYPE}, UTF-8, uncompressed; anything else is 415 UnsupportedMediaType)`,
  `and are read only after the token is checked, up to ${formatBytes(DEFAULT_BODY_LIMIT)} (bundles ${formatBytes(BUNDLE_BODY_LIMIT)}; more is 413 PayloadTooLarge).`,
  'A call that takes a body and gets none is 400 naming `body`. Strings may not contain NUL (U+0000).',
].join(' ');

export function buildOpenApiDocument(registrations: PathRegistration[]): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const register of registrations) register(registry);
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Flotilla hub API', version: 'v1', description: DESCRIPTION },
    security: [{ bearer: [] }],
  });
  addBodyResponses((document.paths ?? {}) as Record<string, Record<string, unknown>>);
  return document;
}

/**
 * Every operation with a request body can answer 413 and 415
 * (platform/http/json-body.rules.ts); `Error` is the schema of `errorResponses`,
 * which every such operation lists.
 */
function addBodyResponses(paths: Record<string, Record<string, unknown>>): void {
  const error = (description: string) => ({ description, content: { [JSON_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Error' } } } });
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item) as { requestBody?: unknown; responses?: Record<string, unknown> }[]) {
      if (!operation?.requestBody || !operation.responses) continue;
      operation.responses['413'] ??= error('PayloadTooLarge: the body is over the limit of the route (named in the message)');
      operation.responses['415'] ??= error(`UnsupportedMediaType: the body is not ${JSON_MEDIA_TYPE}`);
    }
  }
}
