/**
 * Records real frames of a lesson for the renderer's tests: runs the lesson
 * in a Session with questions off, steps it, and keeps the last frame once
 * each chosen step has settled, trimmed of the program text, the questions
 * and every object that is neither one the lesson made nor a peer of one.
 */
import { writeFileSync } from 'node:fs';
import type { Frame, LessonParams } from '../../model/frame-types';
import { createSession } from '../../session/session';

function trim(frame: Frame): Frame {
  const lesson = frame.lesson!;
  const mine = new Set(lesson.objects);
  for (const o of frame.objects) if (mine.has(o.id) && 'peer' in o && o.peer) mine.add(o.peer);
  return {
    ...frame,
    objects: frame.objects.filter((o) => mine.has(o.id)),
    processes: frame.processes.map((p) => ({ ...p, fds: p.fds.filter((fd) => mine.has(fd.object) || fd.fd < 3) })),
    lesson: { ...lesson, programs: [], steps: lesson.steps.map((step) => ({ ...step, question: null })) },
  };
}

export interface RecordPlan {
  lesson: string;
  params?: LessonParams;
  /** moment name -> the 0-based step after which its frame is kept */
  moments: Record<string, number>;
  out: string;
  /** how long to let the queues settle after each step (frames keep coming at the sampling rate) */
  settleMs?: number;
}

export async function recordLessonFrames({ lesson, params, moments, out, settleMs = 700 }: RecordPlan): Promise<void> {
  const session = await createSession({ stepDelayMs: 0 });
  const frames: Frame[] = [];
  const off = session.onFrame((frame) => frames.push(frame));
  const ok = (r: { ok: boolean; error?: string }): void => {
    if (!r.ok) throw new Error(r.error);
  };
  try {
    ok(await session.handle({ type: 'questions', on: false }));
    ok(await session.handle(params ? { type: 'lesson.start', lesson, params } : { type: 'lesson.start', lesson }));
    const last = Math.max(...Object.values(moments));
    const kept = new Map<number, Frame>();
    for (let step = 0; step <= last; step++) {
      ok(await session.handle({ type: 'step' }));
      await new Promise((r) => setTimeout(r, settleMs));
      kept.set(step, frames[frames.length - 1]!);
    }
    const recorded = Object.fromEntries(Object.entries(moments).map(([name, step]) => [name, trim(kept.get(step)!)]));
    writeFileSync(out, `${JSON.stringify(recorded)}\n`);
    console.log(`wrote ${Object.keys(recorded).length} frames to ${out}`);
  } finally {
    off();
    await session.dispose();
  }
}
