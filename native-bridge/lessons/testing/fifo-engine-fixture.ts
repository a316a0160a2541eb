/**
 * Test fixture for fifo-server-client.test.ts: an engine that runs the FIFO
 * lesson until the server sleeps in open() on the FIFO, prints the lesson's
 * directory and pids, and waits to be SIGKILLed (no handler of its runs).
 */
import { fifoServerClient } from '../pipes/fifo-server-client';
import { LessonRunner } from '../../session/lesson-runner';

const runner = await LessonRunner.start(fifoServerClient, { onEvent: () => undefined });
for (let i = 0; i < 3; i += 1) await runner.step();
process.stdout.write(`${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid })}\n`);
setInterval(() => undefined, 60_000);
