import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // Loading every generator (ts-morph, Prettier, prisma-ast) takes seconds on a busy 2-core machine.
        test: { name: 'contracts', include: ['contracts/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          setupFiles: ['support/env.ts'],
          globalSetup: ['e2e/setup.ts'],
          // Each file installs and runs generated projects: minutes, not milliseconds.
          testTimeout: 600_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
