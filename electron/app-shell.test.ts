import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeFrameDelta } from '../native-bridge/model/frame-delta';
import type { Frame } from '../native-bridge/model/frame-types';
import { startTime } from './engine/actor-sweep';
import { startShell } from './app-shell';
import type { Shell } from './app-shell';
import * as electron from './fake-electron';
import { CALL_CHANNELS, EVENT_CHANNELS } from './window/ipc-channels';
import { UntrustedSenderError } from './window/ipc-main';
import { APP_PAGE_URL } from './window/window-security';

vi.mock('electron', async () => await import('./fake-electron'));

const BUILD = '/opt/ipcscope/resources/app.asar/.vite/build';

function frame(seq: number, roles: Record<string, number> = {}): Frame {
  return { seq, lesson: { roles } } as unknown as Frame;
}

/** Makes the fake utility process behave like engine-process.ts on 'dispose'. */
function answerDispose(child: electron.FakeUtilityProcess): void {
  child.on('posted', (message: { kind?: string }) => {
    if (message.kind !== 'dispose') return;
    setImmediate(() => {
      child.reply({ kind: 'disposed' });
      child.exit(0);
    });
  });
}

describe('app shell', () => {
  let shell: Shell;
  let window: electron.FakeBrowserWindow;
  let child: electron.FakeUtilityProcess;
  const spawned: ChildProcess[] = [];

  beforeEach(async () => {
    electron.resetFakeElectron();
    shell = await startShell({ buildDir: BUILD, rendererDir: '/opt/ipcscope/renderer', devServerUrl: undefined });
    window = electron.FakeBrowserWindow.all[0]!;
    child = electron.FakeUtilityProcess.all[0]!;
  });

  afterEach(async () => {
    for (const process of spawned.splice(0)) {
      if (process.exitCode === null && process.signalCode === null) {
        process.kill('SIGKILL');
        await new Promise((resolve) => process.once('exit', resolve));
      }
    }
  });

  const invokeFrom = (sender: electron.FakeWebContents, frameOfSender: electron.FakeFrame | null, request: unknown): Promise<unknown> =>
    electron.ipcMain.invoke(CALL_CHANNELS.command, { sender, senderFrame: frameOfSender }, request);

  it('opens one hardened window on our own page and forks the engine off the UI thread', () => {
    expect(electron.FakeBrowserWindow.all).toHaveLength(1);
    expect(window.options.webPreferences).toMatchObject({
      preload: `${BUILD}/preload.js`,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(window.webContents.mainFrame.url).toBe(APP_PAGE_URL);
    expect(electron.app.sandboxEnabled).toBe(true);
    expect(electron.protocol.handlers.has('app')).toBe(true);
    expect(electron.FakeUtilityProcess.all).toHaveLength(1);
    expect(child.modulePath).toBe(`${BUILD}/engine-process.js`);
    expect(shell.appUrl).toBe(APP_PAGE_URL);
  });

  it('denies navigation and new windows in the window it opened', () => {
    const away = new electron.FakeEvent('https://evil.example/');
    window.webContents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('forwards a valid command from our main frame and resolves with the engine answer', async () => {
    const answer = invokeFrom(window.webContents, window.webContents.mainFrame, { type: 'lesson.start', lesson: 'pipe-basics' });
    expect(child.posted).toEqual([{ kind: 'command', id: 1, command: { type: 'lesson.start', lesson: 'pipe-basics' } }]);
    child.reply({ kind: 'result', id: 1, result: { ok: true, data: 'started' } });
    await expect(answer).resolves.toEqual({ ok: true, data: 'started' });
  });

  it('refuses commands from another URL, a subframe and another webContents: nothing reaches the engine', async () => {
    const other = new electron.FakeWebContents();
    other.mainFrame.url = APP_PAGE_URL;
    const command = { type: 'play' };
    await expect(invokeFrom(other, other.mainFrame, command)).rejects.toBeInstanceOf(UntrustedSenderError);
    await expect(invokeFrom(window.webContents, window.webContents.subframe(APP_PAGE_URL), command)).rejects.toBeInstanceOf(
      UntrustedSenderError,
    );
    await expect(invokeFrom(window.webContents, null, command)).rejects.toBeInstanceOf(UntrustedSenderError);
    window.webContents.mainFrame.url = 'https://evil.example/';
    await expect(invokeFrom(window.webContents, window.webContents.mainFrame, command)).rejects.toBeInstanceOf(UntrustedSenderError);
    expect(child.posted).toEqual([]);
  });

  it('rejects bad commands before they reach the engine', async () => {
    const main = window.webContents.mainFrame;
    const bad: unknown[] = [
      null,
      'play',
      { type: 'rm -rf' },
      { type: 'speed', value: 1e9 },
      { type: 'rate', hz: Number.NaN },
      { type: 'lesson.start', lesson: '../../etc/passwd' },
      { type: 'play', extra: 1 },
    ];
    for (const request of bad) {
      const answer = (await invokeFrom(window.webContents, main, request)) as { ok: boolean; error?: string };
      expect(answer.ok, JSON.stringify(request)).toBe(false);
      expect(typeof answer.error).toBe('string');
    }
    await expect(electron.ipcMain.invoke(CALL_CHANNELS.command, { sender: window.webContents, senderFrame: main }, { type: 'play' }, 'x')).resolves.toMatchObject({ ok: false });
    expect(child.posted).toEqual([]);
  });

  it('relays frames and status from the utility process to the window, ignoring malformed messages', () => {
    child.reply({ kind: 'ready', pid: 4242 });
    child.reply({ kind: 'frame', frame: frame(1) });
    child.reply({ kind: 'frame', frame: 'not a frame' });
    child.reply({ kind: 'nonsense' });
    child.reply(null);
    child.reply({ kind: 'frame', frame: frame(2) });
    expect(window.webContents.sent).toEqual([
      { channel: EVENT_CHANNELS.status, payload: 'open' },
      { channel: EVENT_CHANNELS.frame, payload: { type: 'frame', frame: frame(1) } },
      { channel: EVENT_CHANNELS.frame, payload: { type: 'frame', frame: frame(2) } },
    ]);
    /* a page that loads later still learns the engine's state */
    window.webContents.emit('did-finish-load');
    expect(window.webContents.sent.at(-1)).toEqual({ channel: EVENT_CHANNELS.status, payload: 'open' });
  });

  it('on quit: holds the quit, disposes the session in the engine, then quits', async () => {
    answerDispose(child);
    const exited = new Promise<number>((resolve) => child.once('exit', resolve));
    electron.app.quit();
    expect(child.posted).toEqual([{ kind: 'dispose' }]);
    expect(await exited).toBe(0);
    await shell.shutdown();
    await new Promise((resolve) => setImmediate(resolve));
    expect(electron.app.quitCalls).toBe(2);
    expect(electron.ipcMain.handlers.size).toBe(0);
    expect(child.killed).toBe(false);
  });

  it('on window close: disposes the session and quits', async () => {
    answerDispose(child);
    window.close();
    expect(child.posted).toEqual([{ kind: 'dispose' }]);
    await shell.shutdown();
    await new Promise((resolve) => setImmediate(resolve));
    expect(shell.engine.running).toBe(false);
    expect(electron.app.quitCalls).toBeGreaterThanOrEqual(1);
  });

  it("passes the engine's deltas on while the window holds their base; in full after a load, or when the window asks", async () => {
    const sleeper = { pid: 10, ppid: 1, comm: 'sleep', state: 'S' as const, blocked: null, fds: [], readable: true };
    const full = (seq: number, processes = [sleeper]): Frame => ({ seq, rateHz: 10, takenAt: seq, durationMs: 1, processes, objects: [], problems: [], events: [], lesson: null });
    const sentFrames = (): unknown[] => window.webContents.sent.filter((m) => m.channel === EVENT_CHANNELS.frame).map((m) => m.payload);
    child.reply({ kind: 'frame', frame: full(1) });
    const delta2 = encodeFrameDelta(full(1), full(2));
    child.reply({ kind: 'delta', delta: delta2 });
    expect(sentFrames()).toEqual([{ type: 'frame', frame: full(1) }, { type: 'delta', delta: delta2 }]);
    /* the page reloads: it holds nothing, so the next goes in full (main rebuilt it) */
    window.webContents.emit('did-start-loading');
    child.reply({ kind: 'delta', delta: encodeFrameDelta(full(2), full(3, [])) });
    expect(sentFrames().at(-1)).toEqual({ type: 'frame', frame: full(3, []) });
    const delta4 = encodeFrameDelta(full(3, []), full(4));
    child.reply({ kind: 'delta', delta: delta4 });
    expect(sentFrames().at(-1)).toEqual({ type: 'delta', delta: delta4 });
    /* the window's transport found a delta it could not place: it asks, and gets the next frame whole */
    await expect(electron.ipcMain.invoke(CALL_CHANNELS.fullFrame, { sender: window.webContents, senderFrame: window.webContents.mainFrame }, null)).resolves.toEqual({ ok: true });
    child.reply({ kind: 'delta', delta: encodeFrameDelta(full(4), full(5)) });
    expect(sentFrames().at(-1)).toEqual({ type: 'frame', frame: full(5) });
    /* only our window may ask */
    await expect(electron.ipcMain.invoke(CALL_CHANNELS.fullFrame, { sender: new electron.FakeWebContents(), senderFrame: null }, null)).rejects.toBeInstanceOf(UntrustedSenderError);
  });

  it('on utility-process crash: answers pending calls, tells the window, and SIGKILLs the orphaned actors', async () => {
    /* a real process standing in for an actor the dead engine left behind */
    const actor = spawn('sleep', ['600'], { stdio: 'ignore' });
    spawned.push(actor);
    const pid = actor.pid!;
    expect(startTime(pid)).not.toBeNull();
    const died = new Promise<NodeJS.Signals | null>((resolve) => actor.once('exit', (_code, signal) => resolve(signal)));
    child.reply({ kind: 'frame', frame: frame(1, { reader: pid }) });

    const pending = invokeFrom(window.webContents, window.webContents.mainFrame, { type: 'step' });
    child.exit(139);
    await expect(pending).resolves.toMatchObject({ ok: false, error: expect.stringContaining('exited') });
    expect(await died).toBe('SIGKILL');
    /* reaped: the kernel no longer lists it */
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(window.webContents.sent.at(-1)).toEqual({ channel: EVENT_CHANNELS.status, payload: 'engine exited unexpectedly (code 139)' });
    await expect(invokeFrom(window.webContents, window.webContents.mainFrame, { type: 'play' })).resolves.toMatchObject({ ok: false });
  });

  it('leaves alone a process whose PID was recycled (start time differs)', async () => {
    const actor = spawn('sleep', ['600'], { stdio: 'ignore' });
    spawned.push(actor);
    const pid = actor.pid!;
    child.reply({ kind: 'frame', frame: frame(1, { reader: pid }) });
    const { ActorSweep } = await import('./engine/actor-sweep');
    const sweep = new ActorSweep();
    sweep.note(frame(1, { reader: pid, init: 1, self: process.pid }));
    /* pretend it started at another time: this is what a recycled PID looks like */
    (sweep as unknown as { known: Map<number, string> }).known.set(pid, '1');
    expect(sweep.sweep()).toEqual([]);
    expect(startTime(pid)).not.toBeNull();
  });
});
