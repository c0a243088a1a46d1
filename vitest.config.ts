import { defineConfig } from 'vitest/config';

// Under CI a JSON report is written beside the console output; .ci/run turns it into the plain
// "N passed, N failed" line that CI reads.
const reporters = process.env.CI
  ? ['default', ['json', { outputFile: '.tmp/test-results.json' }] as const]
  : ['default'];

export default defineConfig({
  test: {
    include: ['runtime/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: reporters as never,
  },
});
