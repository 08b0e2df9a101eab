import { defineConfig } from 'vitest/config';

// Unit and integration tests live next to the code they test (`*.test.ts`).
// End-to-end tests in e2e/ run in the same runner but drive real browsers/processes.
export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-shared/**/*.test.ts', 'src-renderer/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
