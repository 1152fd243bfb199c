import { defineConfig } from 'vitest/config';

// Generous timeout: the first ts-morph/prettier load is slow on a busy 2-core CI machine.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
