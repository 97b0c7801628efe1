import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests.
const conditions = ['@flotilla/source', ...defaultServerConditions];

export default defineConfig({
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['hub/src/**/*.test.ts', 'agent/src/**/*.test.ts', 'proto/src/**/*.test.ts', 'core/src/**/*.test.ts', 'render/src/**/*.test.ts', 'cli/src/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          // 2-core machines: real hubs, databases and API servers per file.
          maxWorkers: 2,
        },
      },
    ],
  },
});
