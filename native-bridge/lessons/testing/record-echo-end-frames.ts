/**
 * Records the last frame of a real echo-logger run for the picture's tests
 * (renderer/fixtures/real-frames-echo-end.json): every process has exited and
 * the six objects the lesson made (the listener, four connection ends, the
 * logger's pipe) are gone. Run (an optional path writes elsewhere):
 *   npx tsx native-bridge/lessons/testing/record-echo-end-frames.ts [out.json]
 */
import { resolve } from 'node:path';
import { recordLessonFrames } from './record-lesson-frames';

const STEPS = 53;
/* the session's waits may all be unref'd between steps (a run can exit silently without it): hold the loop until written */
const alive = setInterval(() => undefined, 1000);
void recordLessonFrames({
  lesson: 'echo-logger',
  steps: STEPS,
  moments: { end: `step${STEPS - 1}-settled` },
  out: process.argv[2] ?? resolve(import.meta.dirname, '../../../renderer/fixtures/real-frames-echo-end.json'),
}).finally(() => clearInterval(alive));
