/**
 * Records real frames of a lesson for the renderer's tests (renderer/fixtures/
 * real-frames-*.json): runs the lesson in a Session, one step at a time, and
 * keeps chosen moments, trimmed of the program text, the questions and every
 * object that is neither one the lesson made nor the peer of one.
 * A moment is `step<N>-return`, the first frame that carries step N's return
 * event (sampled right after the call returned), or `step<N>-settled`, the last
 * frame once step N has settled.
 */
import { writeFileSync } from 'node:fs';
import type { Frame, LessonParams } from '../../model/frame-types';
import { createSession } from '../../session/session';

export type Moment = `step${number}-${'return' | 'settled'}`;

export interface RecordOptions {
  lesson: string;
  params?: LessonParams;
  /** How many steps to take from the start. */
  steps: number;
  /** Name in the fixture -> moment. */
  moments: Record<string, Moment>;
  /** The fixture file written. */
  out: string;
}

/* frames keep coming at the sampling rate: let queues, masks and handlers settle before a step's last frame is kept */
const SETTLE_MS = 700;

export function trimFrame(frame: Frame): Frame {
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

export async function recordLessonFrames({ lesson, params, steps, moments, out }: RecordOptions): Promise<void> {
  const session = await createSession({ stepDelayMs: 0 });
  const frames: Frame[] = [];
  const off = session.onFrame((frame) => frames.push(frame));
  const ok = (r: { ok: boolean; error?: string }): void => {
    if (!r.ok) throw new Error(r.error);
  };
  const kept = new Map<string, Frame>();
  try {
    ok(await session.handle({ type: 'questions', on: false }));
    ok(await session.handle(params ? { type: 'lesson.start', lesson, params } : { type: 'lesson.start', lesson }));
    for (let step = 0; step < steps; step++) {
      ok(await session.handle({ type: 'step' }));
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const withReturn = frames.find((f) => f.events.some((e) => e.step === step && e.phase === 'return'));
      if (withReturn) kept.set(`step${step}-return`, withReturn);
      kept.set(`step${step}-settled`, frames[frames.length - 1]!);
    }
  } finally {
    off();
    await session.dispose();
  }
  const fixture: Record<string, Frame> = {};
  for (const [name, moment] of Object.entries(moments)) {
    const frame = kept.get(moment);
    if (!frame) throw new Error(`${lesson}: no frame for ${name} (${moment})`);
    fixture[name] = trimFrame(frame);
  }
  writeFileSync(out, `${JSON.stringify(fixture)}\n`);
  console.log(`wrote ${Object.keys(fixture).length} frames to ${out}`);
}
