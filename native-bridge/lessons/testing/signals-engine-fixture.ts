/**
 * Test fixture for signals.test.ts: an engine that runs the signals lesson
 * until SIGUSR1 is pending on the parent (blocked in every thread), prints
 * the lesson's pids, and waits to be SIGKILLed (no handler of its runs).
 */
import { LessonRunner } from '../../session/lesson-runner';
import { signalsLesson } from '../signals/signals';

const runner = await LessonRunner.start(signalsLesson, { onEvent: () => undefined });
for (let i = 0; i < 10; i += 1) await runner.step();
process.stdout.write(`${JSON.stringify({ pids: runner.pids(), parent: runner.view(false, 1).roles.parent })}\n`);
setInterval(() => undefined, 60_000);
