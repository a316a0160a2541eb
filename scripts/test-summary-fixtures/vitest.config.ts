import { defineConfig } from 'vitest/config';

// Fixtures for scripts/test-summary.test.ts: files named *.fixture.ts, which
// none of the project's own test globs match.
export default defineConfig({
  test: { include: ['*.fixture.ts'], hookTimeout: 60_000, testTimeout: 60_000 },
});
