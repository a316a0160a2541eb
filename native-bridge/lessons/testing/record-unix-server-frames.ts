/**
 * Records real frames of the unix-stream-server lesson for the renderer's
 * tests (renderer/fixtures/real-frames-unix-server.json): both clients
 * connected and none accepted (each client's socket has the listener as its
 * peer: it waits in the listener's queue), then the first accepted. Run:
 *   npx tsx native-bridge/lessons/testing/record-unix-server-frames.ts [out.json]
 */
import { resolve } from 'node:path';
import { recordLessonFrames } from './record-lesson-frames';

/* the session's waits may all be unref'd between steps (the run exited silently without it): hold the loop until written */
const alive = setInterval(() => undefined, 1000);
void recordLessonFrames({
  lesson: 'unix-stream-server',
  /* step 7: the second connect() returned (listener Recv-Q 2); step 8: accept4() took the first client */
  steps: 9,
  moments: { pending: 'step7-settled', accepted: 'step8-settled' },
  out: process.argv[2] ?? resolve(import.meta.dirname, '../../../renderer/fixtures/real-frames-unix-server.json'),
}).finally(() => clearInterval(alive));
