/**
 * Records real frames of the pass-descriptor lesson for the renderer's tests
 * (renderer/fixtures/real-frames-pass-descriptor.json): `inFlight` once the
 * sender has closed its read end and written again (the read end only in the
 * receiver's socket queue), `received` after the receiver's recvmsg. Trimmed
 * of the program text and questions. Run:
 *   npx tsx native-bridge/lessons/testing/record-pass-descriptor-frames.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame } from '../../model/frame-types';
import { createSession } from '../../session/session';

const OUT = resolve(import.meta.dirname, '../../../renderer/fixtures/real-frames-pass-descriptor.json');

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

async function main(): Promise<void> {
  const session = await createSession({ stepDelayMs: 0 });
  const frames: Frame[] = [];
  const off = session.onFrame((frame) => frames.push(frame));
  const ok = (r: { ok: boolean; error?: string }): void => {
    if (!r.ok) throw new Error(r.error);
  };
  ok(await session.handle({ type: 'questions', on: false }));
  ok(await session.handle({ type: 'lesson.start', lesson: 'pass-descriptor' }));
  const kept: Record<string, Frame> = {};
  for (let step = 0; step < 12; step++) {
    ok(await session.handle({ type: 'step' }));
    /* frames keep coming at the sampling rate: let the queues settle */
    await new Promise((r) => setTimeout(r, 700));
    kept[`step${step}`] = frames[frames.length - 1]!;
  }
  off();
  await session.dispose();
  const out = { inFlight: trim(kept.step10!), received: trim(kept.step11!) };
  writeFileSync(OUT, `${JSON.stringify(out)}\n`);
  console.log(`wrote 2 frames to ${OUT}`);
}

/* nothing else keeps the loop alive while the session starts its first actors */
const alive = setInterval(() => undefined, 1000);
main()
  .finally(() => clearInterval(alive)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
