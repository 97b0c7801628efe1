import nx from '@nx/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The hub's folders in layers, lowest first: a folder imports only from lower
 * layers (and its own folder), so feature folders cannot import each other in
 * circles. See docs/architecture.md.
 */
const HUB_LAYERS = [
  ['platform'],
  ['database', 'security', 'target'],
  ['delivery'],
  ['registration', 'bundles'],
  ['rollouts'],
  ['clusters', 'status', 'rendering', 'gitrepos', 'events'],
  ['bundlesets'],
  ['api', 'gateway'],
];
const hubLayerZones = HUB_LAYERS.flatMap((layer, i) =>
  layer.map((folder) => ({
    target: `./hub/src/${folder}`,
    from: [...layer.filter((other) => other !== folder), ...HUB_LAYERS.slice(i + 1).flat()].map((other) => `./hub/src/${other}`),
    message: `hub/src/${folder} may only import lower layers of the hub (HUB_LAYERS in eslint.config.mjs)`,
  })),
);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'hub/src/generated/**', 'proto/src/gen/**', '.tools/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx, 'import-x': importX },
    settings: {
      // Parse and follow TypeScript files (the plugin's default is JavaScript only).
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Resolves `./x.js` to `./x.ts` and @flotilla/* to their sources, as tsc does.
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: 'tsconfig.json', conditionNames: ['@flotilla/source', 'types', 'import', 'default'] }),
      ],
    },
    rules: {
      // Folders depend on each other in one direction: an import cycle is an error.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: hubLayerZones }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The hub and the agent never import each other; both may use proto and
      // core (the pure shared rules); core uses nothing but proto; the agent
      // never renders (render is the hub's and the CLI's).
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:hub', onlyDependOnLibsWithTags: ['scope:proto', 'scope:core', 'scope:render'] },
            { sourceTag: 'scope:agent', onlyDependOnLibsWithTags: ['scope:proto', 'scope:core'] },
            { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:proto'] },
            // Rendering (discovery, fleet.yaml, helm/kustomize) is shared by the hub's render workers and the CLI.
            { sourceTag: 'scope:render', onlyDependOnLibsWithTags: ['scope:proto', 'scope:core'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:proto', 'scope:core', 'scope:render'] },
            { sourceTag: 'scope:proto', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
    },
  },
  {
    // core is pure: no I/O, no framework; only the contract, hashing and the YAML parser (issue #9).
    files: ['core/src/**/*.ts'],
    ignores: ['core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.{1,2}/|@flotilla/proto$|node:crypto$|yaml$)',
              message: '@flotilla/core is pure: it imports only its own files, @flotilla/proto, node:crypto and yaml.',
            },
          ],
        },
      ],
    },
  },
);
