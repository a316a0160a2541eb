import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../model/frame-types';
import type { PipeObject } from '../model/snapshot-types';
import { createSession, type Session } from './session';
import { alive, holdersOf, recordFrames, until } from './session-test-helpers';

let session: Session | null = null;

afterEach(async () => {
  await session?.dispose();
  session = null;
});

async function started(): Promise<{ s: Session; rec: ReturnType<typeof recordFrames> }> {
  session = await createSession({ stepDelayMs: 50 });
  const rec = recordFrames(session);
  const result = await session.handle({ type: 'lesson.start', lesson: 'pipe-parent-child' });
  expect(result).toMatchObject({ ok: true });
  return { s: session, rec };
}

async function steps(s: Session, n: number): Promise<unknown[]> {
  const outcomes: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const r = await s.handle({ type: 'step' });
    expect(r.ok).toBe(true);
    outcomes.push(r.ok ? r.data : null);
  }
  return outcomes;
}

function pipeOf(frame: Frame): PipeObject {
  const id = frame.lesson?.objects[0];
  const pipe = frame.objects.find((o) => o.id === id);
  if (!pipe || (pipe.kind !== 'pipe' && pipe.kind !== 'fifo')) throw new Error(`lesson pipe ${id} not in frame`);
  return pipe;
}

describe('session commands', () => {
  it('bad commands give clear errors and change nothing', async () => {
    const { s, rec } = await started();
    const before = rec.last().lesson;
    const bad: [unknown, RegExp][] = [
      [{ type: 'lesson.start', lesson: 'no-such-lesson' }, /unknown lesson "no-such-lesson"/],
      [{ type: 'speed', value: 9 }, /speed 9 is out of range/],
      [{ type: 'rate', hz: 0 }, /out of range/],
      [{ type: 'rate', hz: 'fast' }, /must be a number/],
      ['garbage', /must be an object/],
      [{ type: 'explode' }, /unknown command/],
      [{ type: 'step', extra: 1 }, /unexpected field/],
      [null, /must be an object/],
    ];
    for (const [input, message] of bad) {
      const result = await s.handle(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(message);
    }
    await until(() => rec.frames.length > 2);
    const after = rec.last();
    expect(after.lesson?.roles).toEqual(before?.roles);
    expect(after.lesson?.next).toBe(0);
    expect(after.lesson?.speed).toBe(1);
    expect(after.rateHz).toBe(30);
    expect(alive(after.lesson!.roles.parent!)).toBe(true);
  });

  it('lists lessons, and refuses step/play/restart with no lesson', async () => {
    session = await createSession();
    const list = await session.handle({ type: 'lessons.list' });
    expect(list).toMatchObject({ ok: true, data: expect.arrayContaining([expect.objectContaining({ id: 'pipe-parent-child' })]) });
    for (const type of ['step', 'play', 'lesson.restart']) {
      expect(await session.handle({ type })).toMatchObject({ ok: false, error: expect.any(String) });
    }
  });

  it('frames flow at the sampling rate even with no lesson', async () => {
    session = await createSession();
    const rec = recordFrames(session);
    expect(await session.handle({ type: 'rate', hz: 60 })).toEqual({ ok: true });
    /* ~100 ms at 60 Hz on an idle machine; a loaded one may keep the sampler off the CPU far longer (5 frames in 300 ms seen) */
    await until(() => rec.frames.length > 5, 30_000);
    expect(rec.last()).toMatchObject({ rateHz: 60, lesson: null, processes: [] });
  });
});

describe('the lesson pipe-parent-child, seen through frames', () => {
  it('shows the child asleep in read on the pipe, woken by the write, then EOF', async () => {
    const { s, rec } = await started();
    await steps(s, 4); /* pipe2, fork, parent close(fd[0]), child close(fd[1]) */
    const view = rec.last().lesson!;
    const pipeId = view.objects[0]!;
    expect(pipeId).toMatch(/^pipe:\d+$/);
    const inode = Number(pipeId.slice(5));
    const { parent, child } = view.roles as { parent: number; child: number };

    const [readOutcome] = await steps(s, 1);
    expect(readOutcome).toMatchObject({ index: 4, status: 'blocked' });
    const blockedFrame = rec.last();
    const childInfo = blockedFrame.processes.find((p) => p.pid === child);
    expect(childInfo?.blocked).toMatchObject({ op: 'read', syscallNr: 0, wchan: 'anon_pipe_read', object: pipeId });
    expect(blockedFrame.events.some((e) => e.phase === 'blocked' && e.step === 4 && e.pid === child)).toBe(true);
    /* one reader (child), one writer (parent) */
    const pipe = pipeOf(blockedFrame);
    expect(pipe.holders.map((h) => `${h.pid}:${h.access}`).sort()).toEqual([`${child}:r`, `${parent}:w`].sort());
    expect(pipe.queued).toBe(0);

    await steps(s, 1); /* parent write: the child's read returns 12 */
    await until(() => rec.frames.some((f) => f.events.some((e) => e.step === 4 && e.phase === 'return')));
    const readReturn = rec.frames.flatMap((f) => f.events).find((e) => e.step === 4 && e.phase === 'return')!;
    expect(readReturn.result).toBe(12);
    expect(Buffer.from(readReturn.data!, 'base64').toString()).toBe('hello world\n');
    expect(readReturn.text).toBe(`read(${readReturn.fd}, 64) = 12`);
    /* back in its event loop, waiting for the next command: "paused between syscalls" */
    await until(() => rec.last().processes.find((p) => p.pid === child)?.blocked?.op === 'poll');

    await steps(s, 1); /* child write(1, buf, 12) */
    const [again] = await steps(s, 1); /* child reads again: blocks */
    expect(again).toMatchObject({ index: 7, status: 'blocked' });
    await steps(s, 1); /* parent close(fd[1]) -> EOF */
    await until(() => rec.frames.some((f) => f.events.some((e) => e.step === 7 && e.phase === 'return')));
    const eof = rec.frames.flatMap((f) => f.events).find((e) => e.step === 7 && e.phase === 'return')!;
    expect(eof.result).toBe(0);
    expect(holdersOf(`pipe:[${inode}]`)).toEqual([`${child}/${eof.fd}`]);

    await steps(s, 3); /* child exit, parent waitpid, parent exit */
    const waited = rec.frames.flatMap((f) => f.events).find((e) => e.step === 10 && e.phase === 'return')!;
    expect(waited.result).toBe(child);
    await until(() => !alive(parent) && !alive(child));
    await until(() => rec.last().lesson?.finished === true);
    expect(rec.last().lesson?.steps.every((step) => step.status === 'done')).toBe(true);
    expect(holdersOf(`pipe:[${inode}]`)).toEqual([]);
    expect(await s.handle({ type: 'step' })).toMatchObject({ ok: false, error: expect.stringMatching(/no more steps/) });
  });

  it('play runs the whole lesson by itself; pause stops issuing', async () => {
    const { s, rec } = await started();
    expect(await s.handle({ type: 'speed', value: 4 })).toEqual({ ok: true });
    expect(await s.handle({ type: 'play' })).toEqual({ ok: true });
    await until(() => (rec.last().lesson?.next ?? 0) >= 3);
    await s.handle({ type: 'pause' });
    const paused = rec.last().lesson!;
    expect(paused.playing).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(rec.last().lesson!.next).toBeLessThanOrEqual(paused.next + 1);
    await s.handle({ type: 'play' });
    await until(() => rec.last().lesson?.finished === true, 20_000);
    expect(rec.last().lesson).toMatchObject({ playing: false, error: null });
    /* the parent's exit is seen when its control socket closes; the engine reaps it a moment later */
    for (const pid of Object.values(rec.last().lesson!.roles)) await until(() => !alive(pid), 30_000);
  });

  it('stop half-way and restart leave no process and no descriptor behind', async () => {
    const { s, rec } = await started();
    await steps(s, 5); /* the child is now blocked in read */
    const first = rec.last().lesson!;
    const firstPipe = `pipe:[${first.objects[0]!.slice(5)}]`;
    expect(holdersOf(firstPipe).length).toBeGreaterThan(0);

    expect(await s.handle({ type: 'lesson.restart' })).toMatchObject({ ok: true });
    for (const pid of Object.values(first.roles)) expect(alive(pid)).toBe(false);
    expect(holdersOf(firstPipe)).toEqual([]);
    const second = rec.last().lesson!;
    expect(second.next).toBe(0);
    expect(second.roles.parent).not.toBe(first.roles.parent);

    await steps(s, 2);
    const secondView = rec.last().lesson!;
    const secondPipe = `pipe:[${secondView.objects[0]!.slice(5)}]`;
    expect(await s.handle({ type: 'lesson.stop' })).toEqual({ ok: true });
    expect(rec.last().lesson).toBeNull();
    for (const pid of Object.values(secondView.roles)) expect(alive(pid)).toBe(false);
    expect(holdersOf(secondPipe)).toEqual([]);
  });
});
