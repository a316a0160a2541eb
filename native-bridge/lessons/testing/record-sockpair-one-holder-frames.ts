/**
 * Records real frames of the stream-vs-datagram lesson before the fork
 * (renderer/fixtures/real-frames-sockpair-one-holder.json): the parent alone
 * holds both ends of each pair it made, so the picture draws two edges from
 * one node to the two ends of one glyph.
 * Run (an optional path writes elsewhere):
 *   npx tsx native-bridge/lessons/testing/record-sockpair-one-holder-frames.ts [out.json]
 */
import { resolve } from 'node:path';
import { recordLessonFrames } from './record-lesson-frames';

void recordLessonFrames({
  lesson: 'stream-vs-datagram',
  steps: 2,
  /* streamMade: after socketpair() of the stream pair; bothMade: after the datagram pair too */
  moments: { streamMade: 'step0-settled', bothMade: 'step1-settled' },
  out: process.argv[2] ?? resolve(import.meta.dirname, '../../../renderer/fixtures/real-frames-sockpair-one-holder.json'),
});
