import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../native-bridge/model/commands';
import type { Frame, ObservingView } from '../../native-bridge/model/frame-types';
import type { ProcessList } from '../../native-bridge/model/process-list-types';
import type { PipeObject, ProcessInfo } from '../../native-bridge/model/snapshot-types';
import type { TrafficEntry } from '../../native-bridge/model/traffic-types';
import type { ManualClock } from '../clock/animation-clock';
import { pipeMoments } from '../fixtures/pipe-lesson-frames';
import { LESSON_LIST, renderApp, sentCommands } from '../fixtures/render-app';
import { freshRenderer } from '../fixtures/test-setup';

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

/* `sh -c 'sleep 1000 | cat'` as the engine would report it: cat asleep in read on the pipe */
const SH = 500;
const SLEEP = 501;
const CAT = 502;
const PIPE = 'pipe:7000';
const HOSTILE = '<img src=x onerror=alert(1)>';

const LIST: ProcessList = {
  rows: [
    { pid: 1, ppid: 0, comm: 'systemd', cmdline: '/sbin/init', uid: 0, user: 'root', ipcObjects: null, readable: false, unreadable: 'fd: EACCES', self: false },
    { pid: SH, ppid: 1, comm: 'sh', cmdline: "sh -c sleep 1000 | cat", uid: 1000, user: 'ada', ipcObjects: 0, readable: true, self: false },
    { pid: CAT, ppid: SH, comm: 'cat', cmdline: HOSTILE, uid: 1000, user: 'ada', ipcObjects: 1, readable: true, self: false },
  ],
  total: 3,
  scanned: 120,
  root: false,
  takenAt: 1,
};

function proc(pid: number, ppid: number, comm: string, fds: ProcessInfo['fds'], blocked: ProcessInfo['blocked'] = null): ProcessInfo {
  return { pid, ppid, comm, state: blocked ? 'S' : 'S', blocked, fds, readable: true };
}

function observingFrame(seq: number, observing: ObservingView, traffic: TrafficEntry[] = []): Frame {
  const pipe: PipeObject = {
    id: PIPE,
    kind: 'pipe',
    inode: 7000,
    capacity: 65536,
    queued: 0,
    readers: 1,
    writers: 1,
    holders: [
      { pid: SLEEP, fd: 1, access: 'w' },
      { pid: CAT, fd: 0, access: 'r' },
    ],
  };
  return {
    seq,
    takenAt: 1_000_000 + seq * 100,
    durationMs: 1,
    rateHz: 10,
    events: [],
    lesson: null,
    observing,
    traffic,
    problems: [],
    objects: [pipe],
    processes: [
      proc(SH, 1, 'sh', []),
      proc(SLEEP, SH, 'sleep', [{ fd: 1, object: PIPE, access: 'w', target: 'pipe:[7000]' }]),
      proc(CAT, SH, 'cat', [{ fd: 0, object: PIPE, access: 'r', target: 'pipe:[7000]' }], {
        op: 'read',
        syscall: 'read',
        syscallNr: 0,
        fd: 0,
        wchan: 'anon_pipe_read',
        object: PIPE,
      }),
    ],
  };
}

const TREE: ObservingView = { pids: [SH], tree: true, gone: [] };

async function appWithList() {
  const app = await renderApp(clock);
  app.api.reply = (command) =>
    command.type === 'lessons.list' ? { ok: true, data: LESSON_LIST } : command.type === 'processes.list' ? { ok: true, data: LIST } : { ok: true };
  return app;
}

describe('the process picker', () => {
  it('lists processes as text, says what cannot be read, searches, and observes the ticked PIDs with descendants', async () => {
    const { api } = await appWithList();
    await act(async () => fireEvent.click(screen.getByTestId('btn-observe')));
    await waitFor(() => expect(screen.getByTestId('pick-row-502')).toBeTruthy());
    expect(sentCommands(api)[0]).toEqual({ type: 'processes.list' });
    /* a command line is shown as the characters it holds, never as markup */
    expect(screen.getByTestId('pick-row-502').textContent).toContain(HOSTILE);
    expect(screen.getByTestId('pick-row-502').querySelector('img')).toBeNull();
    expect(screen.getByTestId('pick-ipc-502').textContent).toBe('1');
    /* another user's process: listed, not pickable, with the reason */
    expect((screen.getByTestId('pick-1') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('pick-ipc-1').textContent).toBe('not readable');
    expect(screen.getByTestId('pick-ipc-1').getAttribute('title')).toBe('cannot read its descriptors: fd: EACCES');
    expect(screen.getByTestId('process-picker').textContent).toContain('only their owner or root may read');
    expect(screen.getByTestId('picker-count').textContent).toBe('3 of 3 matching processes · 120 on this machine');

    fireEvent.change(screen.getByTestId('picker-search'), { target: { value: 'cat ' } });
    await waitFor(() => expect(sentCommands(api).at(-1)).toEqual({ type: 'processes.list', query: 'cat' }));

    expect((screen.getByTestId('picker-observe') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('pick-500'));
    fireEvent.click(screen.getByTestId('pick-502'));
    await act(async () => fireEvent.click(screen.getByTestId('picker-observe')));
    expect(sentCommands(api).at(-1)).toEqual({ type: 'observe', pids: [SH, CAT], tree: true });
    expect(screen.queryByTestId('process-picker')).toBeNull();
    /* opened again, nothing is ticked: an old tick would hide among the new search's rows */
    await act(async () => fireEvent.click(screen.getByTestId('btn-observe')));
    expect(screen.getByTestId('picker-observe').textContent).toBe('Observe 0 selected');
  });

  it('observes the whole machine in one click, and opens with the O key', async () => {
    const { api } = await appWithList();
    await act(async () => fireEvent.keyDown(window, { key: 'o' }));
    expect(screen.getByTestId('process-picker')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByTestId('picker-all')));
    expect(sentCommands(api).at(-1)).toEqual({ type: 'observe', all: true });
    await act(async () => fireEvent.keyDown(window, { key: '?' }));
    expect(screen.getByTestId('shortcut-observe').textContent).toBe('OObserve real processes');
  });
});

describe('the process picker when the engine is slow or fails', () => {
  it('shows no rows and a Retry after a failure, and never passes an earlier query\'s rows for a newer one', async () => {
    const { api } = await renderApp(clock);
    let fail = true;
    let release: () => void = () => undefined;
    api.reply = (command) => {
      if (command.type === 'lessons.list') return { ok: true, data: LESSON_LIST };
      if (command.type !== 'processes.list') return { ok: true };
      if (fail) return { ok: false, error: 'the engine did not answer within 10 s' };
      if (command.query !== 'cat') return { ok: true, data: LIST };
      /* the answer to "cat" comes only when the test says */
      const answer: CommandResult = { ok: true, data: { ...LIST, rows: LIST.rows.filter((row) => row.comm === 'cat'), total: 1 } };
      return new Promise<CommandResult>((resolve) => (release = () => resolve(answer))) as unknown as CommandResult;
    };
    await act(async () => fireEvent.click(screen.getByTestId('btn-observe')));
    await waitFor(() => expect(screen.getByTestId('picker-retry')).toBeTruthy());
    expect(screen.getByTestId('picker-count').textContent).toBe('Could not list processes: the engine did not answer within 10 sRetry');
    expect(screen.queryByTestId('pick-row-500')).toBeNull();

    fail = false;
    await act(async () => fireEvent.click(screen.getByTestId('picker-retry')));
    await waitFor(() => expect(screen.getByTestId('pick-row-500')).toBeTruthy());
    expect(screen.queryByTestId('picker-retry')).toBeNull();
    expect(screen.getByTestId('picker-rows').getAttribute('data-stale')).toBe('false');

    /* typed, not answered yet: the rows still shown are greyed, marked busy and cannot be ticked */
    fireEvent.change(screen.getByTestId('picker-search'), { target: { value: 'cat' } });
    expect(screen.getByTestId('picker-rows').getAttribute('data-stale')).toBe('true');
    expect(screen.getByTestId('picker-rows').getAttribute('aria-busy')).toBe('true');
    expect((screen.getByTestId('pick-500') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('picker-count').textContent).toContain('still the list of every process');
    await waitFor(() => expect(sentCommands(api).at(-1)).toEqual({ type: 'processes.list', query: 'cat' }));
    expect(screen.getByTestId('picker-rows').getAttribute('data-stale')).toBe('true');
    await act(async () => release());
    await waitFor(() => expect(screen.getByTestId('picker-rows').getAttribute('data-stale')).toBe('false'));
    expect(screen.queryByTestId('pick-row-500')).toBeNull();
    expect((screen.getByTestId('pick-502') as HTMLInputElement).disabled).toBe(false);
  });
});

describe('observation mode', () => {
  it('shows the picture with the scope, gone PIDs and the exit status, and stops', async () => {
    const { api, emit } = await appWithList();
    emit(observingFrame(1, { ...TREE, gone: [SLEEP], exit: { code: 3, signal: null } }));
    expect(screen.queryByTestId('lesson-chooser')).toBeNull();
    expect(screen.getByTestId('scope-bar').getAttribute('data-scope')).toBe('tree');
    expect(screen.getByTestId('scope-what').textContent).toBe('Observing PID 500 and every descendant');
    expect(screen.getByTestId('scope-gone').textContent).toBe('gone: 501 (exited, or the PID now names another process)');
    expect(screen.getByTestId('scope-exit').textContent).toBe('the command ended with exit code 3; its last frame stays on screen');
    expect(screen.getByTestId(`process-${CAT}`).getAttribute('data-blocked')).toBe('true');
    /* inspect: the details panel is beside the picture */
    fireEvent.click(screen.getByTestId(`process-${CAT}`));
    expect(screen.getByTestId('details-panel').textContent).toContain('anon_pipe_read');
    emit(observingFrame(2, { all: true }));
    expect(screen.getByTestId('scope-what').textContent).toBe('Observing the whole machine (IPC descriptors only)');
    await act(async () => fireEvent.click(screen.getByTestId('scope-stop')));
    expect(sentCommands(api).at(-1)).toEqual({ type: 'observe.stop' });
  });

  it('goes from a lesson to an observation and back, one click each way', async () => {
    const { api, emit } = await appWithList();
    emit(pipeMoments().childBlocked);
    await act(async () => fireEvent.click(screen.getByTestId('btn-observe')));
    await waitFor(() => expect(screen.getByTestId('pick-500')).toBeTruthy());
    fireEvent.click(screen.getByTestId('pick-500'));
    await act(async () => fireEvent.click(screen.getByTestId('picker-observe')));
    emit(observingFrame(100, TREE));
    await act(async () => fireEvent.click(screen.getByTestId('scope-back-to-lesson')));
    expect(screen.getByTestId('scope-back-to-lesson').textContent).toBe('Back to lesson: A pipe from parent to child');
    expect(sentCommands(api).at(-1)).toEqual({ type: 'lesson.start', lesson: 'pipe-parent-child' });
    emit({ ...pipeMoments().childBlocked, seq: 200 });
    expect(screen.queryByTestId('scope-bar')).toBeNull();
    await act(async () => fireEvent.click(screen.getByTestId('btn-back-to-observing')));
    expect(sentCommands(api).at(-1)).toEqual({ type: 'observe', pids: [SH], tree: true });
  });

  it('draws traffic along the descriptor that carried it, else as the process rate, and says which', async () => {
    const { emit } = await appWithList();
    emit(observingFrame(1, TREE));
    emit(
      observingFrame(2, TREE, [
        { pid: CAT, direction: 'read', bytes: 5, calls: 1, intervalMs: 100, via: 'descriptor', fd: 0, object: PIPE },
        { pid: SLEEP, direction: 'write', bytes: 40, calls: 2, intervalMs: 100, via: 'process' },
      ]),
    );
    const edge = screen.getByTestId(`traffic-edge-${CAT}-0`);
    expect(edge.getAttribute('data-bytes')).toBe('5');
    expect(edge.textContent).toBe('50 B/s read · fd 0');
    expect(screen.getByTestId(`traffic-process-${SLEEP}`).textContent).toBe('whole process: 400 B/s written');
    const lines = screen.getAllByTestId('traffic-line');
    expect(lines.map((line) => line.getAttribute('data-via'))).toEqual(['process', 'descriptor']);
    expect(lines[0]?.textContent).toBe('sleep · PID 501 whole process400 B/s written, 20 calls/s');
    expect(lines[1]?.textContent).toBe('cat · PID 502 fd 0 · pipe 7000' + '50 B/s read, 10 calls/s');
    /* older than the window: gone from the picture */
    for (let seq = 3; seq < 30; seq += 1) emit(observingFrame(seq, TREE));
    expect(screen.queryByTestId(`traffic-edge-${CAT}-0`)).toBeNull();
    expect(screen.getByTestId('traffic-panel').textContent).toContain('Nothing read or written in the last 2 s.');
  });

  it('sums the window into one line per process or descriptor, busiest first, capped, with names', async () => {
    const { emit } = await appWithList();
    const many = (seq: number): Frame => {
      const frame = observingFrame(seq, { all: true });
      /* the whole machine with 1000 sleepers, each reading a little, and cat reading the pipe in every frame */
      const sleepers = Array.from({ length: 1000 }, (_, i) => proc(10_000 + i, 1, 'sleep', []));
      const traffic: TrafficEntry[] = sleepers.map((p, i) => ({ pid: p.pid, direction: 'read', bytes: 1 + (i % 7), calls: 1, intervalMs: 100, via: 'process' }));
      traffic.push({ pid: CAT, direction: 'read', bytes: 5000, calls: 1, intervalMs: 100, via: 'descriptor', fd: 0, object: PIPE });
      return { ...frame, processes: [...frame.processes, ...sleepers], traffic };
    };
    for (let seq = 1; seq <= 5; seq += 1) emit(many(seq));
    const lines = screen.getAllByTestId('traffic-line');
    expect(lines).toHaveLength(8);
    /* one line for cat, however many frames carried its reads: 5 x 5000 B over the 500 ms the frames span */
    expect(lines[0]?.textContent).toBe('cat · PID 502 fd 0 · pipe 7000' + '48.8 KiB/s read, 10 calls/s');
    expect(lines.filter((line) => line.textContent?.startsWith('cat ·'))).toHaveLength(1);
    expect(lines[1]?.textContent).toMatch(/^sleep · PID \d+ whole process/);
    expect(screen.getByTestId('traffic-more').textContent).toBe('993 more, quieter');
  });
});
