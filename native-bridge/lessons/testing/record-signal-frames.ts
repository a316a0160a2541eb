/**
 * Records real frames of the signals lesson for the renderer's tests
 * (renderer/fixtures/real-frames-signals.json): runs the lesson in a Session
 * and keeps, for each step, the first frame that carries its return event
 * (a kill's frame is sampled right after kill returned). Run:
 *   npx tsx native-bridge/lessons/testing/record-signal-frames.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame } from '../../model/frame-types';
import { createSession } from '../../session/session';

const OUT = resolve(import.meta.dirname, '../../../renderer/fixtures/real-frames-signals.json');

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
  writeFileSync(OUT, `${JSON.stringify(kept)}\n`);
  console.log(`wrote ${Object.keys(kept).length} frames to ${OUT}`);
}

void main();
