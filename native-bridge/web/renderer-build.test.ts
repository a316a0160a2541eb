import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_STAMP, ensureRendererBuilt, rendererBuildIsStale } from './renderer-build';

let project: string;

function file(path: string, ageSeconds: number, content: string = path): void {
  const full = join(project, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
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
    writeFileSync(join(project, 'renderer/dist', BUILD_STAMP), '{"nodeEnv":"production"}');
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

describe('ensureRendererBuilt', () => {
  /** A renderer of one module that says which build of React-style code it got. */
  function tinyRenderer(): void {
    file('renderer/vite.config.ts', 100, "export default { root: import.meta.dirname, base: './' };\n");
    file('renderer/index.html', 100, '<!doctype html><title>t</title><script type="module" src="./main.ts"></script>\n');
    file('renderer/main.ts', 100, "document.title = process.env.NODE_ENV === 'production' ? 'production build' : 'development build';\n");
  }

  function modes(dir: string, out: Map<string, number> = new Map()): Map<string, number> {
    out.set(dir, statSync(dir).mode & 0o777);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) modes(path, out);
      else out.set(path, statSync(path).mode & 0o777);
    }
    return out;
  }

  it('builds for production under a test run\'s NODE_ENV, readable by every user even under umask 077, and only once', async () => {
    tinyRenderer();
    /* vitest runs tests with NODE_ENV=test, which npm test's builds inherited */
    expect(process.env.NODE_ENV).toBe('test');
    const umask = process.umask(0o077);
    const lines: string[] = [];
    try {
      expect(await ensureRendererBuilt(project, (line) => lines.push(line))).toBe(true);
    } finally {
      process.umask(umask);
    }
    expect(lines.join('\n')).toMatch(/building the renderer/);
    const dist = join(project, 'renderer', 'dist');
    const assets = readdirSync(join(dist, 'assets')).filter((name) => name.endsWith('.js'));
    expect(assets).toHaveLength(1);
    const bundle = readFileSync(join(dist, 'assets', assets[0] ?? ''), 'utf8');
    expect(bundle).toContain('production build');
    expect(bundle).not.toContain('development build');

    const seen = modes(dist);
    for (const [path, mode] of seen) {
      const isDir = statSync(path).isDirectory();
      expect({ path, mode: mode.toString(8) }).toEqual({ path, mode: isDir ? '755' : '644' });
    }
    expect(seen.size).toBeGreaterThanOrEqual(4); /* dist, assets, index.html, the bundle */
    expect(readdirSync(join(project, 'renderer')).filter((name) => name.startsWith('.dist-'))).toEqual([]);

    expect(await ensureRendererBuilt(project, () => {})).toBe(false);
  });

  it('rebuilds a dist that carries no stamp of a production build (left by an older ipcscope or another mode)', () => {
    tinyRenderer();
    file('renderer/dist/index.html', 1);
    expect(rendererBuildIsStale(project)).toBe(true);
    writeFileSync(join(project, 'renderer/dist', BUILD_STAMP), '{"nodeEnv":"test"}');
    expect(rendererBuildIsStale(project)).toBe(true);
    writeFileSync(join(project, 'renderer/dist', BUILD_STAMP), '{"nodeEnv":"production"}');
    expect(rendererBuildIsStale(project)).toBe(false);
  });
});
