import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rendererBuildIsStale } from './renderer-build';

let project: string;

function file(path: string, ageSeconds: number): void {
  const full = join(project, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, path);
  const when = Date.now() / 1000 - ageSeconds;
  utimesSync(full, when, when);
}

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'ipcscope-build-test-'));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('rendererBuildIsStale', () => {
  it('is stale without dist/index.html', () => {
    file('renderer/app.tsx', 100);
    expect(rendererBuildIsStale(project)).toBe(true);
  });

  it('is fresh when dist is newer than every source, tests and build leftovers ignored', () => {
    file('renderer/app.tsx', 100);
    file('renderer/picture/picture.tsx', 90);
    file('renderer/dist/index.html', 50);
    file('renderer/picture/picture.test.tsx', 1);
    file('renderer/.dist-build-x/index.html', 1);
    expect(rendererBuildIsStale(project)).toBe(false);
  });

  it('is stale when a source changed after the build', () => {
    file('renderer/dist/index.html', 50);
    file('renderer/styles.css', 10);
    expect(rendererBuildIsStale(project)).toBe(true);
  });
});
