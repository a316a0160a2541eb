import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandResult } from '../../native-bridge/model/commands';
import { parseCommand } from '../../native-bridge/model/commands';
import type { Frame, LessonSummary } from '../../native-bridge/model/frame-types';
import type { EngineSession } from '../../native-bridge/model/session-api';
import { keepsPoolFrame } from '../../native-bridge/model/testing/keeps-pool-frame';
import { wireFrame } from '../../native-bridge/model/wire-frame';
import { EngineClient } from './engine-client';
import type { EngineChild } from './engine-client';
import { runEngineHost } from './engine-host';
import type { ParentPortLike } from './engine-host';
import type { FromEngine, ToEngine } from './engine-protocol';

/**
 * A minimal session whose one "lesson" is a real `sleep` process, so disposal
 * can be checked against what the kernel shows (the process gone from /proc),
 * not against what the session says about itself.
 */
class SleepSession implements EngineSession {
  readonly processes: ChildProcess[] = [];
  private readonly listeners = new Set<(frame: Frame) => void>();
  async handle(input: unknown): Promise<CommandResult> {
    try {
      const command = parseCommand(input);
      if (command.type !== 'lesson.start') return { ok: true };
      const child = spawn('sleep', ['600'], { stdio: 'ignore' });
      this.processes.push(child);
      await new Promise((resolve) => child.once('spawn', resolve));
      return { ok: true, data: child.pid };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
  onFrame(listener: (frame: Frame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(frame: Frame): void {
    for (const listener of this.listeners) listener(frame);
  }
  lessons(): LessonSummary[] {
    return [];
  }
  async dispose(): Promise<void> {
    await Promise.all(
      this.processes.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
  }
}

/** Joins engine-host (utility side) and EngineClient (main side) the way parentPort does: asynchronously, by structured clone. */
function wire(session: EngineSession, lose: (message: FromEngine) => boolean = () => false): { client: EngineClient; exits: number[]; posted: FromEngine[] } {
  const posted: FromEngine[] = [];
  const toEngine = new Set<(event: { data: unknown }) => void>();
  const toMain = { message: new Set<(message: unknown) => void>(), exit: new Set<(code: number) => void>() };
  const exits: number[] = [];
  const port: ParentPortLike = {
    on: (_event, listener) => toEngine.add(listener),
    postMessage: (message: FromEngine) => {
      posted.push(message);
      if (lose(message)) return;
      const copy = structuredClone(message);
      setImmediate(() => toMain.message.forEach((listener) => listener(copy)));
    },
  };
  const child: EngineChild = {
    pid: process.pid,
    postMessage: (message: ToEngine) => {
      const copy = structuredClone(message);
      setImmediate(() => toEngine.forEach((listener) => listener({ data: copy })));
    },
    kill: () => false,
    on: ((event: 'message' | 'exit', listener: (value: never) => void) => {
      (toMain[event] as Set<typeof listener>).add(listener);
    }) as EngineChild['on'],
  };
  const client = new EngineClient(child);
  runEngineHost(port, session, (code) => {
    exits.push(code);
    setImmediate(() => toMain.exit.forEach((listener) => listener(code)));
  });
  return { client, exits, posted };
}

describe('engine host <-> engine client', () => {
  const sessions: SleepSession[] = [];
  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.dispose();
  });

  it('answers commands by id, relays frames, and on dispose leaves no process behind', async () => {
    const session = new SleepSession();
    sessions.push(session);
    const { client, exits } = wire(session);
    const statuses: string[] = [];
    const frames: Frame[] = [];
    client.onStatus((status) => statuses.push(status));
    client.onFrame((frame) => frames.push(frame));

    const [started, played] = await Promise.all([client.send({ type: 'lesson.start', lesson: 'sleep' }), client.send({ type: 'play' })]);
    expect(played).toEqual({ ok: true });
    expect(started.ok).toBe(true);
    const pid = (started as { data: number }).data;
    expect(existsSync(`/proc/${pid}`)).toBe(true);

    session.emit({ seq: 1, processes: [], objects: [] } as unknown as Frame);
    await new Promise((resolve) => setImmediate(resolve));
    expect(frames.map((frame) => frame.seq)).toEqual([1]);
    expect(statuses).toContain('open');

    await client.dispose();
    expect(exits).toEqual([0]);
    expect(client.running).toBe(false);
    /* killed and reaped: the kernel no longer lists the lesson's process */
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(await client.send({ type: 'play' })).toMatchObject({ ok: false });
  });

  it('frames cross as the first in full, then deltas; main rebuilds each; a lost delta makes main ask for a full frame', async () => {
    const session = new SleepSession();
    sessions.push(session);
    let loseNext = false;
    const { client, posted } = wire(session, (message) => {
      const lost = loseNext && message.kind === 'delta';
      if (lost) loseNext = false;
      return lost;
    });
    const frames: Frame[] = [];
    client.onFrame((frame) => frames.push(frame));
    const pool = keepsPoolFrame(40);
    /* worker k runs at frame k: one process changes per frame, the rest are the same descriptions */
    const frameAt = (seq: number): Frame => ({ ...pool, seq, processes: pool.processes.map((p, i) => (i === seq ? { ...p, state: 'R' as const, blocked: null } : p)) });
    /* waits for a state, never for a fixed time: messages cross by setImmediate on a loaded machine */
    const until = async (check: () => boolean): Promise<void> => {
      for (let i = 0; i < 10_000 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
      expect(check()).toBe(true);
    };
    for (let seq = 1; seq <= 3; seq += 1) session.emit(frameAt(seq));
    await until(() => frames.length === 3);
    expect(posted.filter((m) => m.kind === 'frame' || m.kind === 'delta').map((m) => m.kind)).toEqual(['frame', 'delta', 'delta']);
    /* as a full frame would have come (key order aside: a patched description gets its new fields last) */
    const asSent = (f: Frame): unknown => JSON.parse(JSON.stringify(f));
    expect(frames.map(asSent)).toEqual([1, 2, 3].map((seq) => asSent(wireFrame(frameAt(seq)))));

    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    loseNext = true;
    session.emit(frameAt(4));
    session.emit(frameAt(5));
    /* frame 5's delta is against 4, which main never got: refused aloud, nothing passed on */
    await until(() => errors.mock.calls.length > 0);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/against frame 4 .* held is 3.*full frame/));
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3]);
    /* the engine hears the ask, and its next frame goes in full */
    let seq = 6;
    await until(() => {
      if (posted.at(-1)?.kind === 'frame') return true;
      session.emit(frameAt(seq++));
      return false;
    });
    await until(() => frames.length === 4);
    const last = seq - 1;
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, last]);
    expect(asSent(frames.at(-1)!)).toEqual(asSent(wireFrame(frameAt(last))));
    errors.mockRestore();
    await client.dispose();
  });

  it('a malformed command comes back as { ok: false } from the session, not as a crash', async () => {
    const session = new SleepSession();
    sessions.push(session);
    const { client } = wire(session);
    const answer = await client.send({ type: 'speed', value: 99 } as never);
    expect(answer).toMatchObject({ ok: false, error: expect.stringContaining('out of range') });
    await client.dispose();
  });
});

describe('engine client on its own', () => {
  it('kills an engine that does not answer dispose in time', async () => {
    let killed = 0;
    const exitListeners: Array<(code: number) => void> = [];
    const child: EngineChild = {
      pid: 1234,
      postMessage: () => undefined,
      kill: () => {
        killed += 1;
        setImmediate(() => exitListeners.forEach((listener) => listener(15)));
        return true;
      },
      on: ((event: string, listener: (code: number) => void) => {
        if (event === 'exit') exitListeners.push(listener);
      }) as EngineChild['on'],
    };
    const client = new EngineClient(child, { command: 50, dispose: 50, kill: 50 });
    expect(await client.send({ type: 'play' })).toMatchObject({ ok: false, error: expect.stringContaining('did not answer') });
    await client.dispose();
    expect(killed).toBe(1);
    expect(client.running).toBe(false);
  });
});
