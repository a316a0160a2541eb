import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/*
 * `npm start` where the Electron binary cannot be had (as on these machines):
 * one line saying why, then the browser mode, answering at the URL it prints.
 * Electron itself stays out of reach: its dist is forced to an empty folder.
 */

const START = resolve(import.meta.dirname, '..', 'scripts', 'start.js');
const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]+/;
/** The browser mode may build the renderer first, on a loaded machine. */
const START_TIMEOUT_MS = 150_000;

interface StartScript {
  electronBinary(dir: string, env: NodeJS.ProcessEnv): string | null;
  missingElectronMessage(reason: string): string;
}

interface Started {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

let scratch: string;
const running: Started[] = [];

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ipcscope-start-'));
});
afterEach(async () => {
  for (const run of running.splice(0)) {
    for (const pid of childrenOf(run.child.pid ?? -1)) killQuietly(pid);
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await run.exited;
  }
  rmSync(scratch, { recursive: true, force: true });
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Children of `pid` as the kernel lists them (/proc/PID/task/PID/children). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function runStart(args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [START, ...args], { env: { ...process.env, FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const run = { child, stdout: () => out, stderr: () => err, exited };
  running.push(run);
  return run;
}

async function until<T>(what: string, check: () => T | null | undefined | false, timeoutMs: number, run?: Started): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms${run ? `\nstdout: ${run.stdout()}\nstderr: ${run.stderr()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** An xdg-open that records the URL it was asked to open. */
function fakeXdgOpen(): { path: string; opened: string } {
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  const opened = join(scratch, 'opened');
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${opened}.tmp' && mv '${opened}.tmp' '${opened}'\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  return { path: `${bin}:${process.env.PATH ?? ''}`, opened };
}

/** The URL answers with the app's page, and the one line on stderr says why there is no desktop app. */
async function expectServing(run: Started, reason: RegExp): Promise<{ url: string; port: number }> {
  const match = await until('URL on stdout', () => URL_PATTERN.exec(run.stdout()), START_TIMEOUT_MS, run);
  const response = await fetch(match[0]);
  expect(response.status).toBe(200);
  expect(await response.text()).toMatch(/<!doctype html>/i);
  const first = run.stderr().split('\n')[0] ?? '';
  expect(first).toMatch(/^ipcscope: the desktop app cannot start: no Electron binary \(.*\); starting the browser mode instead\.$/);
  expect(first).toMatch(reason);
  expect(run.stderr()).not.toMatch(/\n\s+at |Error: Electron failed/);
  return { url: match[0], port: Number(match[1]) };
}

/** Ctrl+C as a terminal sends it (to the whole foreground group: here, both processes); everything ends. */
async function interrupt(run: Started): Promise<void> {
  const web = childrenOf(run.child.pid!);
  expect(web.length).toBeGreaterThan(0);
  for (const pid of [run.child.pid!, ...web]) process.kill(pid, 'SIGINT');
  expect(await run.exited, run.stderr()).toBe(0);
  for (const pid of web) expect(existsSync(`/proc/${pid}`), `web server ${pid} still there`).toBe(false);
}

describe('scripts/start.js when the Electron binary is missing', () => {
  it('says why in one line, starts the browser mode, opens its URL with xdg-open where there is a display, and Ctrl+C stops it all', async () => {
    const xdg = fakeXdgOpen();
    const run = runStart(['--port', '0'], {
      ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'dist'),
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      DISPLAY: ':99',
      PATH: xdg.path,
    });
    const { url } = await expectServing(run, /ELECTRON_SKIP_BINARY_DOWNLOAD is set/);
    expect(await until('xdg-open called', () => existsSync(xdg.opened) && readFileSync(xdg.opened, 'utf8'), 30_000, run)).toBe(`${url}\n`);
    await interrupt(run);
  }, 200_000);

  it('after a failed download attempt: passes its arguments (--port) to the browser mode, and without a display opens nothing', async () => {
    const xdg = fakeXdgOpen();
    const port = await freePort();
    /* port 1 on loopback refuses at once: a failed download without touching the network */
    const run = runStart(['--port', String(port)], {
      ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'dist'),
      ELECTRON_MIRROR: 'http://127.0.0.1:1/',
      electron_config_cache: join(scratch, 'cache'),
      ELECTRON_SKIP_BINARY_DOWNLOAD: '',
      DISPLAY: '',
      WAYLAND_DISPLAY: '',
      PATH: xdg.path,
    });
    const served = await expectServing(run, /the download failed: .*fetch failed/);
    expect(served.port).toBe(port);
    await interrupt(run);
    expect(existsSync(xdg.opened)).toBe(false);
    expect(readdirSync(scratch).filter((name) => !['cache', 'bin'].includes(name))).toEqual([]);
  }, 200_000);

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
    expect(script.missingElectronMessage('x')).not.toContain('\n');
  });
});
