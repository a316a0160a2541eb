/**
 * The lesson toolkit through the session's commands: lessons.list, lesson
 * parameters, predict-then-reveal questions (play stops before an unanswered
 * one), questions off, idle roles, and step back by re-running on new
 * processes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../actor/kernel-wait';
import type { LessonSummary, LessonView } from '../model/frame-types';
import { createSession, type Session } from './session';
import { alive, recordFrames, until } from './session-test-helpers';

let session: Session | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

async function open(): Promise<{ s: Session; lesson: () => LessonView | null }> {
  session = await createSession({ stepDelayMs: 20 });
  const rec = recordFrames(session);
  return { s: session, lesson: () => (rec.frames.length ? rec.last().lesson : null) };
}

async function ok(s: Session, command: unknown): Promise<unknown> {
  const result = await s.handle(command);
  if (!result.ok) throw new Error(`${JSON.stringify(command)}: ${result.error}`);
  return result.data;
}

async function refused(s: Session, command: unknown, message: RegExp): Promise<void> {
  const result = await s.handle(command);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error).toMatch(message);
}

describe('lessons through the session', () => {
  it('lessons.list gives every lesson with its mechanism, step count and parameters', async () => {
    const { s } = await open();
    const list = (await ok(s, { type: 'lessons.list' })) as LessonSummary[];
    const byId = new Map(list.map((l) => [l.id, l]));
    expect(byId.get('pipe-parent-child')).toMatchObject({ mechanism: 'pipe', stepCount: 12, params: [] });
    expect(byId.get('fifo-server-client')?.mechanism).toBe('fifo');
    expect(byId.get('pipe-both-ways')?.params[0]).toMatchObject({ name: 'order', kind: 'choice', default: 'lucky' });
    expect(byId.get('pipe-tasks')?.params[0]).toMatchObject({ name: 'tasks', kind: 'int', min: 1, max: 4 });
  });

  it('lesson.start checks parameters against the lesson and names the problem; nothing starts', async () => {
    const { s, lesson } = await open();
    await refused(s, { type: 'lesson.start', lesson: 'pipe-both-ways', params: { speed: 3 } }, /no parameter "speed" \(it takes: order\)/);
    await refused(s, { type: 'lesson.start', lesson: 'pipe-both-ways', params: { order: 'random' } }, /one of lucky, unlucky \(got "random"\)/);
    await refused(s, { type: 'lesson.start', lesson: 'pipe-tasks', params: { tasks: 9 } }, /from 1 to 4 \(got 9\)/);
    await refused(s, { type: 'lesson.start', lesson: 'pipe-parent-child', params: { order: 'lucky' } }, /it takes none/);
    await until(() => lesson() === null);
    const started = (await ok(s, { type: 'lesson.start', lesson: 'pipe-tasks', params: { tasks: 2 } })) as { params: unknown };
    expect(started.params).toEqual({ tasks: 2 });
    await until(() => lesson()?.params.tasks === 2);
    expect(lesson()!.steps).toHaveLength(15);
  });

  it('play stops before an unanswered question; the verdict comes from the kernel; idle roles are those waiting for us', async () => {
    const { s, lesson } = await open();
    await ok(s, { type: 'lesson.start', lesson: 'pipe-both-ways', params: { order: 'unlucky' } });
    await until(() => lesson()?.idleRoles.join() === 'parent');
    await ok(s, { type: 'play' });
    await until(() => lesson()?.playing === false && lesson()?.next === 3);
    expect(lesson()!.steps[3]!.question).toMatchObject({ answer: null, verdict: null });
    await refused(s, { type: 'step' }, /step 4 asks a question: answer it first/);
    await refused(s, { type: 'answer', step: 3, choice: 'maybe' }, /"maybe" is not a choice of step 4 \(choices: own, blocks\)/);
    await refused(s, { type: 'answer', step: 2, choice: 'own' }, /step 3 asks no question/);
    await ok(s, { type: 'answer', step: 3, choice: 'blocks' });
    await ok(s, { type: 'play' });
    await until(() => lesson()?.playing === false && lesson()?.next === 5);
    expect(lesson()!.steps[3]!.question).toMatchObject({ answer: 'blocks', verdict: { correct: 'own' } });
    await refused(s, { type: 'answer', step: 3, choice: 'own' }, /has already run/);
    await ok(s, { type: 'answer', step: 5, choice: 'blocks' });
    await ok(s, { type: 'step' });
    const parent = lesson()!.roles.parent!;
    expect(readKernelWait(parent)).toMatchObject({ wchan: 'anon_pipe_read' });
    await until(() => lesson()?.steps[5]!.question?.verdict?.correct === 'blocks');
    /* the parent sleeps in read: it is not waiting for ipcscope */
    expect(lesson()!.idleRoles).toEqual(['child']);
  });

  it('with questions off, play runs a lesson with questions to its end', async () => {
    const { s, lesson } = await open();
    await ok(s, { type: 'questions', on: false });
    await ok(s, { type: 'lesson.start', lesson: 'pipe-sigpipe' });
    await ok(s, { type: 'play' });
    await until(() => lesson()?.finished === true, 20_000);
    expect(lesson()).toMatchObject({ questionsOn: false, error: null });
    expect(lesson()!.steps.every((step) => step.question === null)).toBe(true);
  });

  it('step back re-runs the first steps on new processes; the old ones are gone', async () => {
    const { s, lesson } = await open();
    await ok(s, { type: 'lesson.start', lesson: 'pipe-parent-child' });
    for (let i = 0; i < 7; i++) await ok(s, { type: 'step' });
    const before = { ...lesson()!.roles };
    await refused(s, { type: 'step.back', step: 9 }, /goes back only/);
    expect(await ok(s, { type: 'step.back', step: 5 })).toEqual({ replayed: { from: 1, to: 5 } });
    await until(() => lesson()?.replayed?.to === 5);
    const after = lesson()!;
    expect(after.next).toBe(5);
    expect(after.roles.parent).not.toBe(before.parent);
    expect(after.roles.child).not.toBe(before.child);
    expect(alive(before.parent!) || alive(before.child!)).toBe(false);
    /* step 5 (index 4) was replayed for real: the new child sleeps in read on the new pipe */
    expect(after.steps[4]!.status).toBe('blocked');
    expect(readKernelWait(after.roles.child!)).toMatchObject({ wchan: 'anon_pipe_read', syscallNr: 0 });
    await ok(s, { type: 'step' });
    await until(() => lesson()?.steps[4]!.status === 'done');
    /* the notice described the state the step back left: the next step moves on from it */
    expect(lesson()!.replayed).toBeNull();
  });
});
