/**
 * "observe" on real processes: a pipeline started here (`sh -c 'sleep 1000 |
 * cat'`), seen by PID, with its descendants, and on the whole machine; what
 * the frame says is checked against /proc (wchan, the pipe inode of fd 0).
 * A PID that does not exist is refused by name and changes nothing; a
 * process that exits shows as gone; a PID the kernel gives to a new process
 * (forced through /proc/sys/kernel/ns_last_pid) is not taken for the old one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildSet, killAndReap, unusedPid, wchanOf } from '../cli/cli-test-support';
import type { Frame } from '../model/frame-types';
import { createSession, type Session } from './session';
import { startTimeOf } from './observation';
import { alive, recordFrames, until } from './session-test-helpers';

const children = new ChildSet();
/** Spawned outside ChildSet (the PID reuse test), killed and reaped the same way. */
const strays: ChildProcess[] = [];
let session: Session | null = null;

afterEach(async () => {
  await session?.dispose();
  session = null;
  await children.killAll();
  await Promise.all(strays.splice(0).map(killAndReap));
});

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function commOf(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
}

/* KERNEL-FACTS: anon_pipe_read on 6.18, pipe_read or pipe_wait on older kernels */
const PIPE_READ_WCHAN = /^(anon_pipe_read|pipe_read|pipe_wait)$/;

/** `sh -c 'sleep 1000 | cat'` in its own process group; resolves once cat sleeps in pipe_read. */
async function pipeline(): Promise<{ sh: number; sleep: number; cat: number }> {
  const sh = children.spawn('sh', ['-c', 'sleep 1000 | cat'], ['ignore', 'ignore', 'ignore'], true).pid;
  let found: { sleep: number; cat: number } | null = null;
  await until(() => {
    const kids = childrenOf(sh);
    const cat = kids.find((pid) => commOf(pid) === 'cat');
    const sleep = kids.find((pid) => commOf(pid) === 'sleep');
    if (cat === undefined || sleep === undefined || !PIPE_READ_WCHAN.test(wchanOf(cat))) return false;
    found = { sleep, cat };
    return true;
  });
  return { sh, ...found! };
}

async function observed(s: Session, rec: ReturnType<typeof recordFrames>, check: (frame: Frame) => boolean): Promise<Frame> {
  let hit: Frame | null = null;
  await until(() => {
    const frame = rec.frames.at(-1);
    if (frame && check(frame)) hit = frame;
    return hit !== null;
  });
  return hit!;
}

const pidsOf = (frame: Frame): number[] => frame.processes.map((p) => p.pid).sort((a, b) => a - b);

describe('observe', () => {
  it('refuses malformed scopes with the reason', async () => {
    session = await createSession();
    const bad: [unknown, RegExp][] = [
      [{ type: 'observe' }, /list of 1 to 64 PIDs/],
      [{ type: 'observe', pids: [] }, /list of 1 to 64 PIDs/],
      [{ type: 'observe', pids: Array.from({ length: 65 }, (_, i) => i + 1) }, /list of 1 to 64 PIDs/],
      [{ type: 'observe', pids: [1.5] }, /1.5 is not a PID/],
      [{ type: 'observe', pids: [0] }, /0 is not a PID/],
      [{ type: 'observe', pids: ['1'] }, /"1" is not a PID/],
      [{ type: 'observe', pids: [1], tree: 'yes' }, /"tree" must be true or false/],
      [{ type: 'observe', all: false }, /"all" must be true/],
      [{ type: 'observe', all: true, pids: [1] }, /unexpected field "pids"/],
      [{ type: 'observe.stop', now: true }, /unexpected field "now"/],
    ];
    for (const [input, message] of bad) {
      const result = await session.handle(input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(result.error).toMatch(message);
    }
  });

  it('a PID that does not exist is named in the error and the running lesson goes on', async () => {
    session = await createSession();
    const rec = recordFrames(session);
    expect(await session.handle({ type: 'lesson.start', lesson: 'pipe-parent-child' })).toMatchObject({ ok: true });
    const lessonPids = Object.values(rec.last().lesson!.roles);
    const missing = unusedPid();
    const result = await session.handle({ type: 'observe', pids: [process.pid, missing], tree: false });
    expect(result).toEqual({ ok: false, error: `no such process: ${missing}` });
    /* a thread is not a process: /proc/TID exists but is not listed */
    const tid = readdirTasks(process.pid).find((t) => t !== process.pid);
    if (tid !== undefined) {
      const thread = await session.handle({ type: 'observe', pids: [tid], tree: false });
      expect(thread).toEqual({ ok: false, error: `no such process: ${tid} (it is a thread of process ${process.pid})` });
    }
    const frame = await observed(session, rec, (f) => f.lesson !== null);
    expect(frame.observing ?? null).toBeNull();
    for (const pid of lessonPids) expect(alive(pid)).toBe(true);
  });

  it('observes named PIDs, then their descendants: cat is asleep in read on the pipe sleep writes to', async () => {
    const { sh, sleep, cat } = await pipeline();
    session = await createSession();
    const rec = recordFrames(session);
    expect(await session.handle({ type: 'observe', pids: [sh], tree: false })).toMatchObject({ ok: true });
    let frame = await observed(session, rec, (f) => f.observing != null && f.processes.length > 0);
    expect(pidsOf(frame)).toEqual([sh]);
    expect(frame.observing).toEqual({ pids: [sh], tree: false, gone: [] });

    expect(await session.handle({ type: 'observe', pids: [sh], tree: true })).toMatchObject({ ok: true });
    frame = await observed(session, rec, (f) => f.processes.length === 3 && f.processes.some((p) => p.pid === cat && p.blocked !== null));
    expect(pidsOf(frame)).toEqual([sh, sleep, cat].sort((a, b) => a - b));
    expect(frame.observing).toEqual({ pids: [sh], tree: true, gone: [] });
    const pipeInode = /^pipe:\[(\d+)\]$/.exec(readlinkSync(`/proc/${cat}/fd/0`))?.[1];
    expect(pipeInode).toBeDefined();
    const catInfo = frame.processes.find((p) => p.pid === cat)!;
    expect(wchanOf(cat)).toMatch(PIPE_READ_WCHAN);
    expect(catInfo.blocked).toMatchObject({ op: 'read', fd: 0, object: `pipe:${pipeInode}` });
    const pipe = frame.objects.find((o) => o.id === `pipe:${pipeInode}`);
    expect(pipe?.holders.map((h) => h.pid).sort((a, b) => a - b)).toEqual([sleep, cat].sort((a, b) => a - b));
  });

  it('observes the whole machine', async () => {
    const sleeper = children.spawn('sleep', ['1000'], 'ignore').pid;
    session = await createSession();
    const rec = recordFrames(session);
    expect(await session.handle({ type: 'observe', all: true })).toEqual({ ok: true, data: { observing: { all: true } } });
    const frame = await observed(session, rec, (f) => f.observing != null && f.processes.some((p) => p.pid === sleeper));
    expect(frame.observing).toEqual({ all: true });
    expect(frame.processes.some((p) => p.pid === 1)).toBe(true);
    expect(frame.processes.some((p) => p.pid === process.pid)).toBe(true);
  });

  it('a process that exits shows as gone, not as an error', async () => {
    const child = children.spawn('sleep', ['1000'], 'ignore');
    const other = children.spawn('sleep', ['1000'], 'ignore').pid;
    session = await createSession();
    const rec = recordFrames(session);
    expect(await session.handle({ type: 'observe', pids: [child.pid, other], tree: false })).toMatchObject({ ok: true });
    await observed(session, rec, (f) => f.processes.length === 2);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const frame = await observed(session, rec, (f) => f.processes.length === 1);
    expect(pidsOf(frame)).toEqual([other]);
    expect(frame.observing).toEqual({ pids: [child.pid, other], tree: false, gone: [child.pid] });
    expect(frame.problems).toEqual([]);
  });

  it('a lesson and an observation do not run at once: each command ends the other', async () => {
    const sleeper = children.spawn('sleep', ['1000'], 'ignore').pid;
    session = await createSession();
    const rec = recordFrames(session);
    expect(await session.handle({ type: 'lesson.start', lesson: 'pipe-parent-child' })).toMatchObject({ ok: true });
    const lessonPids = Object.values(rec.last().lesson!.roles);
    expect(await session.handle({ type: 'observe', pids: [sleeper], tree: false })).toMatchObject({ ok: true });
    for (const pid of lessonPids) expect(alive(pid)).toBe(false);
    let frame = await observed(session, rec, (f) => f.processes.length === 1);
    expect(frame.lesson).toBeNull();
    expect(pidsOf(frame)).toEqual([sleeper]);

    expect(await session.handle({ type: 'lesson.start', lesson: 'pipe-parent-child' })).toMatchObject({ ok: true });
    frame = await observed(session, rec, (f) => f.lesson !== null);
    expect(frame.observing).toBeNull();
    expect(frame.processes.some((p) => p.pid === sleeper)).toBe(false);

    expect(await session.handle({ type: 'observe', pids: [sleeper], tree: false })).toMatchObject({ ok: true });
    expect(await session.handle({ type: 'observe.stop' })).toEqual({ ok: true });
    frame = await observed(session, rec, (f) => f.observing === null && f.lesson === null);
    expect(frame.processes).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)('a PID given to a new process is not taken for the old one (start time, stat field 22)', async () => {
    const first = children.spawn('sleep', ['1000'], 'ignore');
    const pid = first.pid;
    const startTime = startTimeOf(pid);
    session = await createSession();
    const rec = recordFrames(session);
    expect(await session.handle({ type: 'observe', pids: [pid], tree: false })).toMatchObject({ ok: true });
    await observed(session, rec, (f) => f.processes.length === 1);
    /* stop sampling while the PID is free: the reuse must be caught by start time, not by having seen the gap */
    rec.stop();
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    /* the next PID the kernel hands out is ns_last_pid + 1 (other forks on the machine may win the race: retry) */
    let reused: number | null = null;
    for (let attempt = 0; attempt < 50 && reused === null; attempt += 1) {
      writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
      const next = spawn('sleep', ['1000'], { stdio: 'ignore', detached: true });
      if (next.pid === pid) reused = pid;
      else if (next.pid !== undefined) process.kill(next.pid, 'SIGKILL');
      strays.push(next);
    }
    if (reused === null) throw new Error(`PID ${pid} was not handed out again in 50 tries`);
    expect(startTimeOf(pid)).not.toBe(startTime);
    expect(commOf(pid)).toBe('sleep');
    const again = recordFrames(session);
    const frame = await observed(session, again, (f) => f.observing != null);
    again.stop();
    expect(frame.processes).toEqual([]);
    expect(frame.observing).toEqual({ pids: [pid], tree: false, gone: [pid] });
  });
});

function readdirTasks(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map(Number);
}
