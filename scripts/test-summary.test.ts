import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * `npm test`'s closing line and exit code, on fixture files that fail the ways
 * real suites have failed: a beforeAll that throws (Chromium missing), a hook
 * that times out, a file that does not load, an unhandled error, an afterAll
 * that throws once every test has passed.
 */

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'scripts', 'test-summary-fixtures');

function runTestScript(...args: string[]): { status: number | null; lastLine: string; output: string } {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test.js'), '--root', FIXTURES, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const output = `${run.stdout}${run.stderr}`;
  const lines = run.stdout.trim().split('\n');
  return { status: run.status, lastLine: lines[lines.length - 1] ?? '', output };
}

// vitest keeps its results cache (and vite its bundled config) under the root it ran in.
afterAll(() => rmSync(join(FIXTURES, 'node_modules'), { recursive: true, force: true }));

describe('scripts/test.js (npm test)', () => {
  it('counts tests stopped by a failed or timed-out hook, a file that did not load, a failed afterAll and an unhandled error as failed, and exits non-zero', () => {
    const run = runTestScript();
    /* passed: good (1) + unhandled-error (2) + after-all-throws (1); failed: 2
       kept from running by beforeAll, 1 by the hook timeout, 1 file that did
       not load, 1 failed afterAll, 1 unhandled error; skipped: only the two it.skip */
    expect(run.lastLine, run.output).toBe('4 passed, 6 failed, 2 skipped');
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/before-all-throws\.fixture\.ts > would pass: did not run \(Chromium is not installed\)/);
    expect(run.output).toMatch(/hook-timeout\.fixture\.ts > would pass: did not run \(Hook timed out in 200ms\.\)/);
    expect(run.output).toMatch(/fails-to-load\.fixture\.ts: .*no-such-module/);
    expect(run.output).toMatch(/unhandled error: thrown after the test returned/);
    expect(run.output).toMatch(/after-all-throws\.fixture\.ts: clean-up failed/);
  });

  it('exits 0 with "0 failed" when everything that ran passed, explicit skips aside', () => {
    const run = runTestScript('good.fixture');
    expect(run.lastLine, run.output).toBe('1 passed, 0 failed, 1 skipped');
    expect(run.status).toBe(0);
  });

  it('counts a run that could not start (a config that does not exist) as failed', () => {
    const run = runTestScript('--config', join(FIXTURES, 'no-such.config.ts'));
    expect(run.lastLine, run.output).toBe('0 passed, 1 failed');
    expect(run.status).toBe(1);
  });
});
