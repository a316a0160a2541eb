import { defineConfig } from 'vitest/config';

// Three projects: the engine against the real kernel (one file at a time, so
// whole-machine snapshots do not see another test's objects), the renderer in
// jsdom, and end-to-end runs in Debian's Chromium against `npm run web`. The
// engine project also runs the unit tests of scripts/ and of the e2e helpers;
// scripts/test-summary-fixtures/*.fixture.ts match no project on purpose.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'engine',
          include: ['native-bridge/**/*.test.ts', 'electron/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          // one session test took 4 to 16.5 s from run to run on a loaded 2-core machine: 30 s left little room for a slower CI
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          // vitest's default 5 s per test is too tight: a whole-app render in jsdom took 5-8 s on a loaded 2-core machine
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // an expect.poll without its own timeout waits for the page or the engine: vitest's default 1 s is too
          // short for a frame to reach Chromium and be drawn on a loaded 2-core machine
          expect: { poll: { timeout: 30_000 } },
        },
      },
    ],
  },
});
