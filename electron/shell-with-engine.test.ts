import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandResult } from '../native-bridge/model/commands';
import type { Frame } from '../native-bridge/model/frame-types';
import { waitFor } from '../native-bridge/cli/wait-for';
import { startTime } from './engine/actor-sweep';
import { gone } from './engine/actors-gone';
import { startShell } from './app-shell';
import type { Shell } from './app-shell';
import * as electron from './fake-electron';
import { CALL_CHANNELS, EVENT_CHANNELS } from './window/ipc-channels';
import { windowFramesSeen } from './testing/window-frames-seen';

vi.mock('electron', async () => await import('./fake-electron'));

/**
 * The whole desktop path with only Electron stood in for: the window's
 * command goes through the trusted-sender check and parseCommand, main
 * forwards it to the REAL engine-process.ts (forked under Node), real actor
 * processes start, frames come back to the window; quitting or the engine
 * dying leaves no actor behind, as /proc shows.
 */
const SOURCES = resolve(import.meta.dirname);

describe('shell + real engine', () => {
  let shell: Shell;
  let window: electron.FakeBrowserWindow;
  const actors: Array<{ pid: number; started: string }> = [];

  beforeEach(async () => {
    electron.resetFakeElectron();
    electron.utilityMode.real = () => resolve(SOURCES, 'engine', 'engine-process.ts');
    shell = await startShell({ buildDir: SOURCES, rendererDir: SOURCES, devServerUrl: undefined });
    window = electron.FakeBrowserWindow.all[0]!;
  });

  afterEach(async () => {
    const pid = shell.engine.pid;
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
    await waitFor('engine exit', () => !shell.engine.running, 20_000, 50).catch(() => undefined);
    for (const { pid: actor, started } of actors.splice(0)) {
      if (startTime(actor) === started) process.kill(actor, 'SIGKILL');
    }
  });

  const command = (request: unknown): Promise<CommandResult> =>
    electron.ipcMain.invoke(CALL_CHANNELS.command, { sender: window.webContents, senderFrame: window.webContents.mainFrame }, request) as Promise<CommandResult>;

  async function startLesson(): Promise<number[]> {
    await waitFor('engine ready', () => window.webContents.sent.find((m) => m.channel === EVENT_CHANNELS.status && m.payload === 'open'), 20_000, 50);
    const list = await command({ type: 'lessons.list' });
    expect(list.ok).toBe(true);
    const lessons = (list as { data: Array<{ id: string }> }).data;
    const started = await command({ type: 'lesson.start', lesson: lessons[0]!.id });
    expect(started, JSON.stringify(started)).toMatchObject({ ok: true });
    const pids = Object.values((started as { data: { roles: Record<string, number> } }).data.roles);
    for (const pid of pids) {
      const at = startTime(pid);
      expect(at, `actor ${pid} is alive`).not.toBeNull();
      actors.push({ pid, started: at! });
    }
    /* the window receives frames naming those very processes */
    const frame: Frame = await waitFor(
      'a frame with the lesson',
      () => windowFramesSeen(window.webContents.sent).find((f) => f.lesson !== null),
      20_000,
      50,
    );
    expect(Object.values(frame.lesson!.roles).sort()).toEqual([...pids].sort());
    return pids;
  }

  it('quitting disposes the session: the actors are killed and reaped, the engine exits 0', async () => {
    const pids = await startLesson();
    const exitCode = new Promise<number>((done) => shell.engine.onExit(done));
    electron.app.quit();
    await shell.shutdown();
    expect(await exitCode).toBe(0);
    expect(await gone(pids)).toEqual([]);
    expect(electron.app.quitCalls).toBe(2);
  });

  /* the actors die with it (PR_SET_PDEATHSIG, set by actor-main); main's ActorSweep is the backup, proven in app-shell.test.ts */
  it('when the engine is SIGKILLed, no actor outlives it and the window is told', async () => {
    const pids = await startLesson();
    const exitCode = new Promise<number>((done) => shell.engine.onExit(done));
    process.kill(shell.engine.pid!, 'SIGKILL');
    expect(await exitCode).toBe(137);
    expect(await gone(pids)).toEqual([]);
    expect(window.webContents.sent.at(-1)).toEqual({ channel: EVENT_CHANNELS.status, payload: 'engine exited unexpectedly (code 137)' });
  });
});
