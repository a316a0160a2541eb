/**
 * Records real frames of the stream-vs-datagram lesson for the renderer's
 * tests (renderer/fixtures/real-frames-sockpair.json): runs the lesson in a
 * Session and keeps the last frame once each chosen step has settled, trimmed
 * of the program text, the questions and every object that is neither a pair
 * the lesson made nor its peer. Run:
 *   npx tsx native-bridge/lessons/testing/record-sockpair-frames.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame } from '../../model/frame-types';
import { createSession } from '../../session/session';

const OUT = resolve(import.meta.dirname, '../../../renderer/fixtures/real-frames-sockpair.json');

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
  ok(await session.handle({ type: 'lesson.start', lesson: 'stream-vs-datagram' }));
  const kept: Record<string, Frame> = {};
  for (let step = 0; step < 20; step++) {
    ok(await session.handle({ type: 'step' }));
    /* frames keep coming at the sampling rate: let the queues settle */
    await new Promise((r) => setTimeout(r, 700));
    kept[`step${step}`] = frames[frames.length - 1]!;
  }
  off();
  await session.dispose();
  /* queued: 3 sends on each pair; streamRead: after the 256-byte recv on s[1]; dgramRead: after the first on d[1]; blocked: recv asleep on the empty stream */
  const moments = { closed: 'step6', queued: 'step12', streamRead: 'step13', dgramRead: 'step15', blocked: 'step19' };
  const out: Record<string, Frame> = {};
  for (const [name, key] of Object.entries(moments)) out[name] = trim(kept[key]!);
  writeFileSync(OUT, `${JSON.stringify(out)}\n`);
  console.log(`wrote ${Object.keys(out).length} frames to ${OUT}`);
}

void main();
