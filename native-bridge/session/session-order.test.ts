import { readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandResult } from '../model/commands';
import type { Lesson } from '../lessons/lesson-types';
import { numberVar } from '../lessons/lesson-types';
import { pipeParentChild } from '../lessons/pipes/pipe-parent-child';
import { createSession, type Session } from './session';
import { alive, holdersOf, recordFrames, until } from './session-test-helpers';

/*
 * Commands sent back to back, none awaited before the next is sent, are
 * applied in the order sent: against the real engine, asserted in /proc.
 */

let session: Session | null = null;

afterEach(async () => {
  await session?.dispose();
  session = null;
});

const text = (path: string): string => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
};

/** The kernel's children of `pid` (its main thread's children file). */
function childrenOf(pid: number): number[] {
  return text(`/proc/${pid}/task/${pid}/children`).split(/\s+/).filter(Boolean).map(Number);
}

/** Waits until `pid` sleeps in read() on a pipe (wchan and syscall 0); gives the pipe's link, e.g. "pipe:[123]". */
async function asleepInPipeRead(pid: number): Promise<string> {
  await until(() => text(`/proc/${pid}/wchan`) === 'anon_pipe_read' && text(`/proc/${pid}/syscall`).startsWith('0 '));
  const fd = Number.parseInt(text(`/proc/${pid}/syscall`).split(' ')[1] ?? '', 16);
  return readlinkSync(`/proc/${pid}/fd/${fd}`);
}

function stepIndex(result: CommandResult): number {
  if (!result.ok) throw new Error(`step failed: ${result.error}`);
  return (result.data as { index: number }).index;
}

function roleOf(result: CommandResult, role: string): number {
  if (!result.ok) throw new Error(`start failed: ${result.error}`);
  return (result.data as { roles: Record<string, number> }).roles[role] ?? -1;
}

describe('commands are applied in the order sent', () => {
  it('lesson.start then five steps sent at once: all applied, the child asleep in anon_pipe_read', async () => {
    session = await createSession();
    const s = session;
    const sent = [s.handle({ type: 'lesson.start', lesson: 'pipe-parent-child' }), ...Array.from({ length: 5 }, () => s.handle({ type: 'step' }))];
    const [start, ...steps] = await Promise.all(sent);
    expect(start).toMatchObject({ ok: true });
    expect(steps.map(stepIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(steps[4]).toMatchObject({ ok: true, data: { index: 4, status: 'blocked' } });

    const parent = roleOf(start!, 'parent');
    const [child] = childrenOf(parent);
    expect(child).toBeGreaterThan(0);
    const pipe = await asleepInPipeRead(child!);
    expect(pipe).toMatch(/^pipe:\[\d+\]$/);
    /* steps 2 and 3 were applied: each holds only its own end now */
    expect(holdersOf(pipe).map((h) => Number(h.split('/')[0])).sort()).toEqual([parent, child!].sort());
  });

  it('lesson.restart then a step sent at once: the step is the new lesson\'s first', async () => {
    session = await createSession();
    const s = session;
    const first = await s.handle({ type: 'lesson.start', lesson: 'pipe-parent-child' });
    const firstParent = roleOf(first, 'parent');
    await Promise.all([s.handle({ type: 'step' }), s.handle({ type: 'step' })]);
    const firstChild = childrenOf(firstParent)[0]!;

    const [restart, step, again] = await Promise.all([s.handle({ type: 'lesson.restart' }), s.handle({ type: 'step' }), s.handle({ type: 'step' })]);
    expect(restart).toMatchObject({ ok: true });
    expect([stepIndex(step!), stepIndex(again!)]).toEqual([0, 1]);
    const secondParent = roleOf(restart!, 'parent');
    expect(secondParent).not.toBe(firstParent);
    expect(alive(firstParent)).toBe(false);
    expect(alive(firstChild)).toBe(false);
    /* the step after the restart forked the new parent's child */
    await until(() => childrenOf(secondParent).length === 1);
  });

  it('commands from many callers at once: every step applied once, in order', async () => {
    session = await createSession();
    const s = session;
    const old = roleOf(await s.handle({ type: 'lesson.start', lesson: 'pipe-parent-child' }), 'parent');
    await s.handle({ type: 'step' });
    /* a lesson.start, then 8 callers with one step each, lessons.list and pause mixed in: as 8 browser tabs would */
    const [start, ...results] = await Promise.all([
      s.handle({ type: 'lesson.start', lesson: 'pipe-parent-child' }),
      ...Array.from({ length: 8 }, (_, i) => [s.handle({ type: 'step' }), s.handle({ type: i % 2 ? 'lessons.list' : 'pause' })]).flat(),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const indices = results.filter((_, i) => i % 2 === 0).map(stepIndex);
    expect(indices).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const parent = roleOf(start!, 'parent');
    expect(parent).not.toBe(old);
    expect(alive(old)).toBe(false);
    /* step 7 is the child's second read: asleep again on the pipe */
    const [child] = childrenOf(parent);
    await asleepInPipeRead(child!);
  });
});

/**
 * A lesson whose second step waits for its first to return: the parent reads
 * its own empty pipe (it holds the write end, so no EOF ever comes), then
 * closes a descriptor. Only lesson.stop can end it.
 */
const selfReader: Lesson = {
  ...pipeParentChild,
  id: 'test-self-reader',
  steps: [
    pipeParentChild.steps[0]!,
    { ...pipeParentChild.steps[4]!, role: 'parent' },
    { ...pipeParentChild.steps[2]!, args: (v) => ({ fd: numberVar(v, 'fd1') }) },
  ],
};

describe('a step that waits for a blocked call', () => {
  it('lesson.stop ends it: the waiting step settles as stopped and the process is gone', async () => {
    session = await createSession({ lessons: [selfReader] });
    const s = session;
    const start = await s.handle({ type: 'lesson.start', lesson: selfReader.id });
    const parent = roleOf(start, 'parent');
    expect(await s.handle({ type: 'step' })).toMatchObject({ ok: true, data: { index: 0, status: 'done' } });
    expect(await s.handle({ type: 'step' })).toMatchObject({ ok: true, data: { index: 1, status: 'blocked' } });
    const pipe = await asleepInPipeRead(parent);
    /* sent together: the stop arrives before the step has even begun to wait */
    const waiting = s.handle({ type: 'step' });
    const later = s.handle({ type: 'pause' });
    const stop = s.handle({ type: 'lesson.stop' });
    expect(await waiting).toMatchObject({ ok: true, data: { index: 2, status: 'stopped' } });
    expect(await later).toEqual({ ok: true });
    expect(await stop).toEqual({ ok: true });
    expect(alive(parent)).toBe(false);
    expect(holdersOf(pipe)).toEqual([]);
    expect(await s.handle({ type: 'step' })).toMatchObject({ ok: false, error: 'no lesson is running' });
  });

  it('a lesson.restart sent while the step already waits ends it and starts afresh', async () => {
    session = await createSession({ lessons: [selfReader] });
    const s = session;
    const rec = recordFrames(s);
    const parent = roleOf(await s.handle({ type: 'lesson.start', lesson: selfReader.id }), 'parent');
    await s.handle({ type: 'step' });
    await s.handle({ type: 'step' });
    await asleepInPipeRead(parent);
    const waiting = s.handle({ type: 'step' });
    /* the step is issued and waits: the lesson's next step is 3 while step 2 is still pending */
    await until(() => rec.frames.at(-1)?.lesson?.next === 3 && rec.frames.at(-1)?.lesson?.steps[2]?.status === 'pending');
    const restart = s.handle({ type: 'lesson.restart' });
    expect(await waiting).toMatchObject({ ok: true, data: { index: 2, status: 'stopped' } });
    const second = roleOf(await restart, 'parent');
    expect(second).not.toBe(parent);
    expect(alive(parent)).toBe(false);
    expect(alive(second)).toBe(true);
    expect(await s.handle({ type: 'step' })).toMatchObject({ ok: true, data: { index: 0, status: 'done' } });
    rec.stop();
  });

  it('dispose ends it too', async () => {
    session = await createSession({ lessons: [selfReader] });
    const s = session;
    const parent = roleOf(await s.handle({ type: 'lesson.start', lesson: selfReader.id }), 'parent');
    await s.handle({ type: 'step' });
    await s.handle({ type: 'step' });
    const rec = recordFrames(s);
    await asleepInPipeRead(parent);
    const waiting = s.handle({ type: 'step' });
    await until(() => rec.frames.at(-1)?.lesson?.next === 3);
    await s.dispose();
    session = null;
    expect(await waiting).toMatchObject({ ok: true, data: { status: 'stopped' } });
    expect(alive(parent)).toBe(false);
  });
});
