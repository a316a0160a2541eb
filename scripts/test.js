#!/usr/bin/env node
// `npm test`: every test project (engine against the real kernel, renderer in
// jsdom, end-to-end in Debian's Chromium), then one closing line
// "N passed, N failed" that CI reads. Extra arguments go to vitest.
//
// The counts come from scripts/test-summary-reporter.ts, which counts as failed
// what vitest's own summary calls skipped or leaves out: tests a failed hook
// kept from running, files that did not load, unhandled errors. The exit code
// is non-zero whenever vitest's is, or anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'ipcscope-test-'));
const summaryFile = join(dir, 'summary.json');
const run = spawnSync(
    process.execPath,
  [
    join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--reporter=default',
    `--reporter=${join(root, 'scripts', 'test-summary-reporter.ts')}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { ...process.env, IPCSCOPE_TEST_SUMMARY: summaryFile } },
);

let summary = { passed: 0, failed: 0, skipped: 0, problems: [] };
if (existsSync(summaryFile)) {
  summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
} else {
  summary.problems.push(`vitest ended (${run.error?.message ?? `exit ${run.status ?? run.signal}`}) before reporting any result`);
}
rmSync(dir, { recursive: true, force: true });
// vitest failed for a reason none of the counts show (a startup error, a bad config).
if (run.status !== 0 && summary.failed === 0) {
  summary.failed = 1;
  if (summary.problems.length === 0) summary.problems.push(`vitest exited with ${run.status ?? run.signal}`);
}
if (summary.problems.length > 0) {
  console.log(`\nFailures beyond the failed tests listed above:\n${summary.problems.map((line) => `  ${line}`).join('\n')}`);
}
console.log(`${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}`);
process.exit(run.status === 0 && summary.failed === 0 ? 0 : 1);
