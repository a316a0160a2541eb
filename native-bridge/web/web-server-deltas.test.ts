import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ChildSet, wchanOf } from '../cli/cli-test-support';
import { waitFor } from '../cli/wait-for';
import { FrameDeltaReceiver } from '../model/frame-delta-receiver';
import type { Frame } from '../model/frame-types';
import type { EngineSession } from '../model/session-api';
import { wireFrame } from '../model/wire-frame';
import { createSession, type Session } from '../session/session';
import { useStaticRoot } from './testing/engine-clients';
import { startWebServer } from './web-server';
import type { WebServer } from './web-server';
import type { ServerMessage } from './wire-protocol';

/*
 * Deltas against the real engine observing the whole machine: a WebSocket
 * client (the ws package) rebuilds every frame from the first full one and
 * the deltas after it, and each rebuilt frame is the very frame the server
 * would have sent in full at that tick (its JSON taken as the session emitted
 * it). What the frames show is checked against /proc: a pipeline started
 * after the first frame appears with its pipe and both holders; once its
 * processes exit they and the pipe vanish.
 */

const PIPE_READ_WCHAN = /^(anon_pipe_read|pipe_read|pipe_wait)$/;

let session: Session | null = null;
let server: WebServer | null = null;
let socket: WebSocket | null = null;
const children = new ChildSet();
const staticRoot = useStaticRoot('ipcscope-web-deltas-');

afterEach(async () => {
  socket?.terminate();
  socket = null;
  await server?.close();
  await session?.dispose();
  server = null;
  session = null;
  await children.killAll();
});

/** The session, with each frame's full wire form written down (as JSON, at once) the moment the server gets it. */
function tapped(real: Session, sentInFull: Map<number, string>): EngineSession {
  return {
    handle: (command) => real.handle(command),
    lessons: () => real.lessons(),
    dispose: () => real.dispose(),
    onFrame: (listener) =>
      real.onFrame((frame) => {
        sentInFull.set(frame.seq, JSON.stringify(wireFrame(frame)));
        listener(frame);
      }),
  };
}

const kids = (pid: number): number[] => readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean).map(Number);
const comm = (pid: number): string => readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
/* a frame without its events: coalescing may carry a held frame's events into the next */
const withoutEvents = (frame: Frame): unknown => ({ ...frame, events: [] });

describe('frames as deltas over the WebSocket', () => {
  it('the client rebuilds, at every tick, the frame the server would send in full; a pipeline appears and vanishes as /proc shows', async () => {
    const real = await createSession();
    session = real;
    const sentInFull = new Map<number, string>();
    const web = await startWebServer({ session: tapped(real, sentInFull), staticRoot: staticRoot(), port: 0 });
    server = web;

    const rebuilt: Frame[] = [];
    const sizes = { frame: [] as number[], delta: [] as number[] };
    const receiver = new FrameDeltaReceiver();
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws?token=${web.token}`, { origin: `http://127.0.0.1:${web.port}` });
    socket = ws;
    ws.on('message', (data) => {
      const text = String(data);
      const message = JSON.parse(text) as ServerMessage;
      if (message.type !== 'frame' && message.type !== 'delta') return;
      sizes[message.type].push(text.length);
      rebuilt.push(receiver.receive(message));
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ id: 1, command: { type: 'observe', all: true } }));
    ws.send(JSON.stringify({ id: 2, command: { type: 'rate', hz: 10 } }));
    const observing = await waitFor('a whole-machine frame', () => rebuilt.find((f) => f.observing && 'all' in f.observing && f.processes.length > 0), 30_000, 20);

    /* started after the client holds whole-machine frames: it reaches the client in deltas */
    const sh = children.spawn('sh', ['-c', 'sleep 1000 | cat'], 'ignore', true).pid;
    const cat = await waitFor('cat asleep in read', () => kids(sh).find((pid) => comm(pid) === 'cat' && PIPE_READ_WCHAN.test(wchanOf(pid))), 30_000);
    const sleep = await waitFor("sleep exec'd", () => kids(sh).find((pid) => comm(pid) === 'sleep'), 30_000);
    const inode = /^pipe:\[(\d+)\]$/.exec(readlinkSync(`/proc/${cat}/fd/0`))?.[1];
    expect(readlinkSync(`/proc/${sleep}/fd/1`)).toBe(`pipe:[${inode}]`);
    const pipeId = `pipe:${inode}`;
    const shown = await waitFor(
      'the pipeline and its pipe in a rebuilt frame',
      () =>
        rebuilt.find((f) => {
          const pipe = f.objects.find((o) => o.id === pipeId);
          const holders = pipe?.holders.map((h) => `${h.pid}/${h.fd}/${h.access}`) ?? [];
          return f.seq > observing.seq && holders.includes(`${cat}/0/r`) && holders.includes(`${sleep}/1/w`) && f.processes.some((p) => p.pid === cat && p.blocked?.object === pipeId);
        }),
      30_000,
      20,
    );
    expect(shown.processes.map((p) => p.pid)).toEqual(expect.arrayContaining([sh, sleep, cat]));

    process.kill(sleep, 'SIGKILL');
    /* cat reads EOF and exits, then sh: the kernel shows them gone */
    await waitFor('the pipeline gone from /proc (exited and reaped)', () => [sh, sleep, cat].every((pid) => !existsSync(`/proc/${pid}`)), 30_000, 20);
    const after = rebuilt.length;
    const vanished = await waitFor(
      'a rebuilt frame without the pipeline and its pipe',
      () => rebuilt.slice(after).find((f) => !f.processes.some((p) => [sh, sleep, cat].includes(p.pid)) && !f.objects.some((o) => o.id === pipeId)),
      30_000,
      20,
    );
    expect(vanished.seq).toBeGreaterThan(shown.seq);

    /* a few seconds more of the machine as it goes on (other processes come and go) */
    await waitFor('twenty frames more', () => rebuilt.length >= after + 20, 30_000, 20);

    /* every frame the client rebuilt is the full frame of the same tick */
    ws.terminate();
    for (const frame of rebuilt) {
      const full = sentInFull.get(frame.seq);
      expect(full, `frame ${frame.seq} was emitted`).toBeDefined();
      expect(withoutEvents(frame), `frame ${frame.seq}`).toEqual(withoutEvents(JSON.parse(full!) as Frame));
    }
    /* the first in full, the rest mostly deltas, much smaller than the frames they stand for */
    expect(sizes.frame.length).toBeGreaterThanOrEqual(1);
    expect(sizes.delta.length).toBeGreaterThan(sizes.frame.length);
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const fullSizes = rebuilt.filter((f) => f.seq >= observing.seq).map((f) => sentInFull.get(f.seq)!.length);
    expect(median(sizes.delta)).toBeLessThan(median(fullSizes) / 4);
  });
});
