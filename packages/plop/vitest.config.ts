import { defineConfig } from 'vitest/config';

// Generous timeout: loading a TypeScript plopfile through jiti is slow on a busy 2-core CI machine.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
