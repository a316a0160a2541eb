import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../actor/kernel-wait';
import type { Frame } from '../model/frame-types';
import { WIRE_CAPS, wireFrame } from '../model/wire-frame';
import { createSession, type Session } from './session';
import { alive, recordFrames, until } from './session-test-helpers';

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

const N = 40;
/* a loaded 2-core machine: starting the workers and sampling them may take many seconds */
const LONG = 90_000;

/** Descriptors of `pid` linked to `pipe:[ino]`, from /proc/PID/fd. */
function linksTo(pid: number, ino: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === `pipe:[${ino}]`;
    } catch {
      return false;
    }
  }).length;
}

const stdinInode = (pid: number): number => Number(/pipe:\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/fd/0`))![1]);
const workersOf = (parent: number): number[] =>
  readdirSync(`/proc/${parent}/task`).flatMap((tid) => {
    try {
      return readFileSync(`/proc/${parent}/task/${tid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });

describe('the wire form of a frame of the process pool, version keeps', () => {
  it(`is bounded, and its totals are what /proc shows for ${N} workers`, async () => {
    session = await createSession();
    const rec = recordFrames(session);
    expect((await session.handle({ type: 'lesson.start', lesson: 'process-pool', params: { workers: N, version: 'keeps' } })).ok).toBe(true);
    const parent = rec.last().lesson!.roles.parent!;
    expect((await session.handle({ type: 'step' })).ok).toBe(true);
    let workers: number[] = [];
    await until(() => {
      workers = workersOf(parent);
      return workers.length === N && workers.every((pid) => readKernelWait(pid)?.wchan === 'anon_pipe_read');
    }, LONG);
    /* a frame sampled after every worker was asleep, showing them all asleep, with every table read (none left by the start's budget) */
    const since = Date.now();
    let full: Frame | null = null;
    await until(() => {
      const f = rec.last();
      if (f.takenAt >= since && !f.unreadTables && workers.every((pid) => f.processes.find((p) => p.pid === pid)?.blocked?.op === 'read')) full = f;
      return full !== null;
    }, LONG);
    const frame = full as unknown as Frame;
    /* 40 workers list fewer entries than the default budget: cut them as a bigger pool would be */
    const caps = { ...WIRE_CAPS, budget: 0 };
    const wire = wireFrame(frame, caps);

    /* bounded: no list past its cap (the full frame's lists grow as N², the pool's elder write ends) */
    for (const o of wire.objects) expect(o.holders.length).toBeLessThanOrEqual(caps.holders);
    for (const p of wire.processes) expect(p.fds.length).toBeLessThanOrEqual(caps.fds);
    const [fullBytes, wireBytes] = [JSON.stringify(frame).length, JSON.stringify(wire).length];
    expect(wireBytes).toBeLessThan(fullBytes);

    /* exact: pipe k's holders in all = the links to it in /proc/PID/fd of the lesson's processes (parent, worker k, workers k+1..N) */
    const pids = [parent, ...workers];
    for (const [k, worker] of workers.sort((a, b) => a - b).entries()) {
      const ino = stdinInode(worker);
      const pipe = wire.objects.find((o) => o.id === `pipe:${ino}`)!;
      const kernel = pids.reduce((n, pid) => n + linksTo(pid, ino), 0);
      expect(kernel).toBe(1 + 1 + (N - 1 - k));
      expect(pipe.holdersTotal ?? pipe.holders.length, `holders of worker ${k + 1}'s pipe`).toBe(kernel);
      expect(pipe.holders.length + (pipe.holdersOmitted ?? []).reduce((n, c) => n + c.count, 0)).toBe(kernel);
      /* its reader (fd 0 of worker k) and the parent's write end are always among those listed */
      expect(pipe.holders).toContainEqual({ pid: worker, fd: 0, access: 'r' });
      expect(pipe.holders.some((h) => h.pid === parent && h.access === 'w')).toBe(true);
      /* worker k: all its descriptors counted; the elder siblings' write ends left out are counted as pipe write ends */
      const p = wire.processes.find((q) => q.pid === worker)!;
      const open = readdirSync(`/proc/${worker}/fd`).length;
      expect(p.fdsTotal ?? p.fds.length, `descriptors of worker ${k + 1}`).toBe(open);
      const elderWriteEnds = p.fds.filter((f) => f.object.startsWith('pipe:') && f.access === 'w').length + (p.fdsOmitted ?? []).filter((c) => c.kind === 'pipe' && c.access === 'w').reduce((n, c) => n + c.count, 0);
      expect(elderWriteEnds).toBe(k);
    }
    process.stdout.write(`pool keeps at N = ${N}: full frame ${fullBytes} B of JSON, wire form ${wireBytes} B\n`);

    expect((await session.handle({ type: 'lesson.stop' })).ok).toBe(true);
    rec.stop();
    await until(() => workers.every((pid) => !alive(pid)), LONG);
  }, 240_000);
});
