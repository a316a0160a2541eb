/**
 * Records real frames of the signals lesson for the renderer's tests
 * (renderer/fixtures/real-frames-signals.json): a kill's moment is the first
 * frame that carries its return event, the others the last frame once a step
 * has settled. Run (an optional path writes elsewhere):
 *   npx tsx native-bridge/lessons/testing/record-signal-frames.ts [out.json]
 */
import { resolve } from 'node:path';
import { recordLessonFrames } from './record-lesson-frames';

void recordLessonFrames({
  lesson: 'signals',
  steps: 15,
  moments: {
    usr2: 'step6-return',
    blocked: 'step7-settled',
    usr1: 'step8-return',
    twice: 'step9-settled',
    exit: 'step10-return',
    zombie: 'step10-settled',
    unblocked: 'step12-settled',
  },
  out: process.argv[2] ?? resolve(import.meta.dirname, '../../../renderer/fixtures/real-frames-signals.json'),
});
