import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, TestSuite } from 'vitest/node';

/**
 * The counts behind `npm test`'s closing line, taken from vitest's own task
 * tree rather than its JSON report: there a test that never ran because its
 * beforeAll threw or timed out is "skipped", a file that failed to load has no
 * tests at all, and unhandled errors are not listed. Here each of those is a
 * failure. The result goes to the file named by IPCSCOPE_TEST_SUMMARY.
 */

export interface TestSummary {
  passed: number;
  failed: number;
  skipped: number;
  /** One line per failure that is not a failed test: "file: what happened". */
  problems: string[];
}

export const SUMMARY_FILE_ENV = 'IPCSCOPE_TEST_SUMMARY';

function firstLine(error: SerializedError): string {
  const text = `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message ?? String(error)}`;
  return text.split('\n')[0] ?? '';
}

/** Errors of a suite or module and of every suite above a test (a failed beforeAll lands there). */
function inheritedErrors(test: TestCase): SerializedError[] {
  const errors: SerializedError[] = [];
  for (let parent: TestSuite | TestModule = test.parent; ; parent = parent.parent) {
    errors.push(...parent.errors());
    if (parent.type === 'module') return errors;
  }
}

function everySuiteError(module: TestModule): SerializedError[] {
  const errors = [...module.errors()];
  for (const suite of module.children.allSuites()) errors.push(...suite.errors());
  return errors;
}

export function summarize(
  modules: ReadonlyArray<TestModule>,
  unhandled: ReadonlyArray<SerializedError>,
  reason: TestRunEndReason,
  root: string,
): TestSummary {
  const summary: TestSummary = { passed: 0, failed: 0, skipped: 0, problems: [] };
  for (const module of modules) {
    const file = relative(root, module.moduleId);
    let failedHere = 0;
    for (const test of module.children.allTests()) {
      const { state } = test.result();
      if (state === 'passed') summary.passed += 1;
      else if (state === 'failed') failedHere += 1;
      else if (test.options.mode === 'skip' || test.options.mode === 'todo') summary.skipped += 1;
      // Meant to run, yet did not: an error above it (a hook, the suite) stopped it.
      else if (inheritedErrors(test).length > 0) {
        failedHere += 1;
        summary.problems.push(`${file} > ${test.fullName}: did not run (${firstLine(inheritedErrors(test)[0]!)})`);
      } else if (state === 'skipped') summary.skipped += 1; // ctx.skip() at run time
      else {
        failedHere += 1;
        summary.problems.push(`${file} > ${test.fullName}: never finished`);
      }
    }
    // A file that failed to load, or an afterAll that threw after every test passed.
    const errors = everySuiteError(module);
    if (failedHere === 0 && (errors.length > 0 || module.state() === 'failed')) {
      failedHere = 1;
      summary.problems.push(`${file}: ${errors[0] ? firstLine(errors[0]) : 'failed'}`);
    }
    summary.failed += failedHere;
  }
  for (const error of unhandled) {
    summary.failed += 1;
    summary.problems.push(`unhandled error: ${firstLine(error)}`);
  }
  if (reason === 'interrupted') {
    summary.failed += 1;
    summary.problems.push('the run was interrupted');
  }
  return summary;
}

class TestSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const path = process.env[SUMMARY_FILE_ENV];
    if (!path) return;
    writeFileSync(path, JSON.stringify(summarize(modules, unhandled, reason, process.cwd())));
  }
}

// vitest loads a reporter given by path from its module's default export.
// eslint-disable-next-line no-restricted-syntax
export default TestSummaryReporter;
