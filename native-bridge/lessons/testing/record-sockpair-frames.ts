/**
 * Records real frames of the stream-vs-datagram lesson for the renderer's
 * tests (renderer/fixtures/real-frames-sockpair.json): the last frame once each
 * chosen step has settled, with the pairs the lesson made and their peers.
 * Run (an optional path writes elsewhere):
 *   npx tsx native-bridge/lessons/testing/record-sockpair-frames.ts [out.json]
 */
import { resolve } from 'node:path';
import { recordLessonFrames } from './record-lesson-frames';

void recordLessonFrames({
  lesson: 'stream-vs-datagram',
  steps: 20,
  /* queued: 3 sends on each pair; streamRead: after the 256-byte recv on s[1]; dgramRead: after the first on d[1]; blocked: recv asleep on the empty stream */
  moments: { closed: 'step6-settled', queued: 'step12-settled', streamRead: 'step13-settled', dgramRead: 'step15-settled', blocked: 'step19-settled' },
  out: process.argv[2] ?? resolve(import.meta.dirname, '../../../renderer/fixtures/real-frames-sockpair.json'),
});
