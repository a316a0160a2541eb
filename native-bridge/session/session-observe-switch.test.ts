/**
 * "observe" through the session's one queue: sent while a lesson's step
 * waits for a call asleep in the kernel (the parent reads its own empty
 * pipe: no EOF ever comes), it ends the lesson as lesson.stop would and
 * starts observing; one naming a missing PID is refused and leaves the
 * waiting step and the lesson as they were. Asserted in /proc.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { unusedPid } from '../cli/cli-test-support';
import type { CommandResult } from '../model/commands';
import type { Lesson } from '../lessons/lesson-types';
import { numberVar } from '../lessons/lesson-types';
import { pipeParentChild } from '../lessons/pipes/pipe-parent-child';
import { createSession, type Session } from './session';
import { alive, holdersOf, recordFrames, until } from './session-test-helpers';

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

/* KERNEL-FACTS: read on an empty pipe sleeps in anon_pipe_read, syscall 0 */
async function asleepInPipeRead(pid: number): Promise<string> {
  await until(() => /^(anon_pipe_read|pipe_read|pipe_wait)$/.test(text(`/proc/${pid}/wchan`)) && text(`/proc/${pid}/syscall`).startsWith('0 '));
  const fd = Number.parseInt(text(`/proc/${pid}/syscall`).split(' ')[1] ?? '', 16);
  return readlinkSync(`/proc/${pid}/fd/${fd}`);
}

function parentOf(result: CommandResult): number {
  if (!result.ok) throw new Error(`start failed: ${result.error}`);
  return (result.data as { roles: Record<string, number> }).roles.parent ?? -1;
}

/** The parent reads its own empty pipe (it holds the write end), then a close waits behind that read. */
const selfReader: Lesson = {
  ...pipeParentChild,
  id: 'test-observe-self-reader',
  steps: [
    pipeParentChild.steps[0]!,
    { ...pipeParentChild.steps[4]!, role: 'parent' },
    { ...pipeParentChild.steps[2]!, args: (v) => ({ fd: numberVar(v, 'fd1') }) },
  ],
};

async function waitingStep(): Promise<{ s: Session; parent: number; pipe: string; waiting: Promise<CommandResult>; rec: ReturnType<typeof recordFrames> }> {
  session = await createSession({ lessons: [selfReader] });
  const s = session;
  const rec = recordFrames(s);
  const parent = parentOf(await s.handle({ type: 'lesson.start', lesson: selfReader.id }));
  await s.handle({ type: 'step' });
  await s.handle({ type: 'step' });
  const pipe = await asleepInPipeRead(parent);
  const waiting = s.handle({ type: 'step' });
  await until(() => rec.frames.at(-1)?.lesson?.next === 3 && rec.frames.at(-1)?.lesson?.steps[2]?.status === 'pending');
  return { s, parent, pipe, waiting, rec };
}

describe('observe through the command queue', () => {
  it('sent while a step waits on a blocked call: the lesson ends, the observation starts', async () => {
    const { s, parent, pipe, waiting, rec } = await waitingStep();
    const observe = s.handle({ type: 'observe', pids: [process.pid], tree: false });
    expect(await waiting).toMatchObject({ ok: true, data: { index: 2, status: 'stopped' } });
    expect(await observe).toMatchObject({ ok: true });
    expect(alive(parent)).toBe(false);
    expect(holdersOf(pipe)).toEqual([]);
    await until(() => rec.frames.at(-1)?.observing != null && rec.frames.at(-1)?.processes.length === 1);
    expect(rec.last().lesson).toBeNull();
    expect(rec.last().processes.map((p) => p.pid)).toEqual([process.pid]);
    rec.stop();
  });

  it('a refused observe leaves the waiting step and its lesson as they were', async () => {
    const { s, parent, waiting, rec } = await waitingStep();
    const missing = unusedPid();
    expect(await s.handle({ type: 'observe', pids: [missing], tree: false })).toEqual({ ok: false, error: `no such process: ${missing}` });
    expect(alive(parent)).toBe(true);
    await asleepInPipeRead(parent);
    expect(rec.last().lesson?.steps[2]?.status).toBe('pending');
    expect(rec.last().observing ?? null).toBeNull();
    expect(await s.handle({ type: 'lesson.stop' })).toEqual({ ok: true });
    expect(await waiting).toMatchObject({ ok: true, data: { index: 2, status: 'stopped' } });
    rec.stop();
  });
});
