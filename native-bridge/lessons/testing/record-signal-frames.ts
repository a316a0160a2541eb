/**
 * Records real frames of the signals lesson for the renderer's tests
 * (renderer/fixtures/real-frames-signals.json): runs the lesson in a Session
 * and keeps six moments: the first frame that carries a kill's return event
 * (sampled right after kill returned), or the last frame once a step has
 * settled; trimmed of the program text, the questions and the objects the
 * lesson did not make. Run:
 *   npx tsx native-bridge/lessons/testing/record-signal-frames.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame } from '../../model/frame-types';
import { createSession } from '../../session/session';

const OUT = resolve(import.meta.dirname, '../../../renderer/fixtures/real-frames-signals.json');

function trim(frame: Frame): Frame {
  const lesson = frame.lesson!;
  const mine = new Set(lesson.objects);
  return {
    ...frame,
    objects: frame.objects.filter((o) => mine.has(o.id)),
    processes: frame.processes.map((p) => ({ ...p, fds: p.fds.filter((fd) => mine.has(fd.object) || fd.fd < 3) })),
    lesson: { ...lesson, programs: [], steps: lesson.steps.map((step) => ({ ...step, question: null })) },
  };
}

async function main(): Promise<void> {
  const session = await createSession({ stepDelayMs: 0 });
  const frames: Frame[] = [];
  const off = session.onFrame((frame) => frames.push(frame));
  const ok = (r: { ok: boolean; error?: string }): void => {
    if (!r.ok) throw new Error(r.error);
  };
  ok(await session.handle({ type: 'questions', on: false }));
  ok(await session.handle({ type: 'lesson.start', lesson: 'signals' }));
  const kept: Record<string, Frame> = {};
  for (let step = 0; step < 15; step++) {
    ok(await session.handle({ type: 'step' }));
    /* let the handler's byte and the masks settle: frames keep coming at the sampling rate */
    await new Promise((r) => setTimeout(r, 700));
    const withReturn = frames.find((f) => f.events.some((e) => e.step === step && e.phase === 'return'));
    if (withReturn) kept[`step${step}-return`] = withReturn;
    kept[`step${step}-settled`] = frames[frames.length - 1]!;
  }
  off();
  await session.dispose();
  const moments = { usr2: 'step6-return', blocked: 'step7-settled', usr1: 'step8-return', twice: 'step9-settled', exit: 'step10-return', zombie: 'step10-settled', unblocked: 'step12-settled' };
  const out: Record<string, Frame> = {};
  for (const [name, key] of Object.entries(moments)) out[name] = trim(kept[key]!);
  writeFileSync(OUT, `${JSON.stringify(out)}\n`);
  console.log(`wrote ${Object.keys(out).length} frames to ${OUT}`);
}

void main();
