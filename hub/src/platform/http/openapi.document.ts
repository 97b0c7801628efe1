import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

/** Every feature contributes its paths through one of these functions. */
export type PathRegistration = (registry: OpenAPIRegistry) => void;

export function buildOpenApiDocument(registrations: PathRegistration[]): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const register of registrations) register(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Flotilla hub API',
      version: 'v1',
      description: 'Fleet-wide GitOps hub. Reads need a readonly or admin API token; writes need admin.',
    },
    security: [{ bearer: [] }],
  });
}
