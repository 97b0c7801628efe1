import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'hub/src/generated/**', 'proto/src/gen/**', '.tools/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The hub and the agent never import each other; both may use proto and
      // core (the pure shared rules); core uses nothing but proto.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:hub', onlyDependOnLibsWithTags: ['scope:proto', 'scope:core'] },
            { sourceTag: 'scope:agent', onlyDependOnLibsWithTags: ['scope:proto', 'scope:core'] },
            { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:proto'] },
            { sourceTag: 'scope:proto', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
    },
  },
);
