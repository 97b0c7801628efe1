import { describe, expect, it } from 'vitest';
import { helmTemplateArgs } from './helm-template.js';

describe('helmTemplateArgs', () => {
  it('puts values before valuesFiles, in order, with CRDs and optional schema skipping', () => {
    const args = helmTemplateArgs({ chartPath: '/c', releaseName: 'r', namespace: 'ns', helm: { skipSchemaValidation: true } }, '/v.json', ['/a.yaml', '/b.yaml']);
    expect(args).toEqual(['template', 'r', '/c', '--namespace', 'ns', '--include-crds', '--skip-schema-validation', '--values', '/v.json', '--values', '/a.yaml', '--values', '/b.yaml']);
  });
});
