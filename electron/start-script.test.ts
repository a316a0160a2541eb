import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const START = resolve(import.meta.dirname, '..', 'scripts', 'start.js');

interface StartScript {
  electronBinary(dir: string, env: NodeJS.ProcessEnv): string | null;
  missingElectronMessage(reason: string): string;
  EXIT_NO_ELECTRON: number;
}

/** Runs `npm start`'s script with Electron's binary forced missing (an empty dist override). */
function runStart(extraEnv: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [START], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...extraEnv },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectOneParagraph(stderr: string, reason: RegExp): void {
  const text = stderr.trim();
  expect(text.split('\n')).toHaveLength(1);
  expect(text).toMatch(/^ipcscope: the desktop app cannot start because the Electron binary is not installed/);
  expect(text).toMatch(reason);
  expect(text).toContain('`npm run web`');
  /* no stack trace */
  expect(text).not.toMatch(/\n\s+at |Error: Electron failed/);
}

describe('scripts/start.js when the Electron binary is missing', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'ipcscope-start-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints one paragraph pointing at `npm run web` and exits non-zero, without trying a download when told not to', () => {
    const run = runStart({ ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'dist'), ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expectOneParagraph(run.stderr, /ELECTRON_SKIP_BINARY_DOWNLOAD is set/);
  });

  it('tries Electron\'s own download once and, when it fails, says why in the same paragraph', () => {
    /* port 1 on loopback refuses at once: a failed download without touching the network */
    const run = runStart({
      ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'dist'),
      ELECTRON_MIRROR: 'http://127.0.0.1:1/',
      electron_config_cache: join(scratch, 'cache'),
      ELECTRON_SKIP_BINARY_DOWNLOAD: '',
    });
    expect(run.status).toBe(1);
    expectOneParagraph(run.stderr, /the download failed: .*fetch failed/);
    expect(readdirSync(scratch).filter((name) => name !== 'cache')).toEqual([]);
  });

  it('finds a binary that is present (path.txt + dist file), and reports none otherwise', async () => {
    const script = (await import(START)) as StartScript;
    const dir = join(scratch, 'electron');
    mkdirSync(join(dir, 'dist'), { recursive: true });
    expect(script.electronBinary(dir, {})).toBeNull();
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(script.electronBinary(dir, {})).toBeNull();
    writeFileSync(join(dir, 'dist', 'electron'), '#!/bin/sh\n');
    chmodSync(join(dir, 'dist', 'electron'), 0o755);
    expect(script.electronBinary(dir, {})).toBe(join(dir, 'dist', 'electron'));
    expect(script.electronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'nowhere') })).toBeNull();
    expect(script.EXIT_NO_ELECTRON).not.toBe(0);
    expect(script.missingElectronMessage('x')).not.toContain('\n');
  });
});
