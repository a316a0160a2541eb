import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { killAndReap } from '../native-bridge/cli/cli-test-support';
import { waitFor } from '../native-bridge/cli/wait-for';
import type { Frame } from '../native-bridge/model/frame-types';
import { startShell } from './app-shell';
import type { Shell } from './app-shell';
import * as electron from './fake-electron';
import { windowFramesSeen } from './testing/window-frames-seen';

vi.mock('electron', async () => await import('./fake-electron'));

/**
 * `npm start -- --pid PID [--tree]` / `--all`: main asks the engine to
 * observe as soon as it is ready, so the window's frames carry the scope; a
 * PID the engine refuses ends the app with status 1 and the reason, as
 * `ipcscope web --pid` does. Electron is stood in for; the engine is real in
 * the second part, observing a real `sleep`.
 */
const SOURCES = resolve(import.meta.dirname);
const BUILD = '/opt/ipcscope/resources/app.asar/.vite/build';

function answerDispose(child: electron.FakeUtilityProcess): void {
  child.on('posted', (message: { kind?: string }) => {
    if (message.kind !== 'dispose') return;
    setImmediate(() => {
      child.reply({ kind: 'disposed' });
      child.exit(0);
    });
  });
}

describe('the shell observes what the command line names', () => {
  beforeEach(() => electron.resetFakeElectron());

  it('sends observe once the engine is ready, and only then', async () => {
    await startShell({ buildDir: BUILD, rendererDir: '/opt/r', devServerUrl: undefined, observe: { pids: [123, 456], tree: true } });
    const child = electron.FakeUtilityProcess.all[0]!;
    expect(child.posted).toEqual([]);
    child.reply({ kind: 'ready', pid: 4242 });
    expect(child.posted).toEqual([{ kind: 'command', id: 1, command: { type: 'observe', pids: [123, 456], tree: true } }]);
    child.reply({ kind: 'result', id: 1, result: { ok: true } });
    child.reply({ kind: 'ready', pid: 4242 });
    expect(child.posted).toHaveLength(1);
    expect(electron.app.exitCode).toBeNull();
  });

  it('a refused PID: says why, disposes the engine, exits 1', async () => {
    const lines: string[] = [];
    await startShell({ buildDir: BUILD, rendererDir: '/opt/r', devServerUrl: undefined, observe: { all: true }, reportError: (line) => lines.push(line) });
    const child = electron.FakeUtilityProcess.all[0]!;
    answerDispose(child);
    child.reply({ kind: 'ready', pid: 4242 });
    expect(child.posted[0]).toEqual({ kind: 'command', id: 1, command: { type: 'observe', all: true } });
    child.reply({ kind: 'result', id: 1, result: { ok: false, error: 'no such process: 123' } });
    await waitFor('the app to exit', () => electron.app.exitCode !== null, 10_000, 10);
    expect(lines).toEqual(['ipcscope: no such process: 123']);
    expect(electron.app.exitCode).toBe(1);
    expect(child.posted).toContainEqual({ kind: 'dispose' });
  });
});

describe('shell + real engine, observing from the start', () => {
  let shell: Shell | null = null;
  let sleep: ChildProcess | null = null;

  afterEach(async () => {
    await shell?.shutdown();
    shell = null;
    if (sleep) await killAndReap(sleep);
    sleep = null;
  });

  it('the first frames the window gets already observe the named process', async () => {
    sleep = spawn('sleep', ['1000'], { stdio: 'ignore' });
    electron.resetFakeElectron();
    electron.utilityMode.real = () => resolve(SOURCES, 'engine', 'engine-process.ts');
    shell = await startShell({ buildDir: SOURCES, rendererDir: SOURCES, devServerUrl: undefined, observe: { pids: [sleep.pid!], tree: false } });
    const pid = sleep.pid!;
    const window = electron.FakeBrowserWindow.all[0]!;
    const frame: Frame = await waitFor(
      'a frame observing sleep',
      () => windowFramesSeen(window.webContents.sent).find((f) => f.observing != null),
      30_000,
      50,
    );
    expect(frame.observing).toEqual({ pids: [pid], tree: false, gone: [] });
    expect(frame.processes.map((p) => p.pid)).toEqual([pid]);
    expect(frame.processes[0]?.comm).toBe('sleep');
  }, 60_000);
});
