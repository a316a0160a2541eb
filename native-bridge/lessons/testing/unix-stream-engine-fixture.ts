/**
 * Test fixture for unix-stream-server.test.ts: an engine that runs the Unix
 * stream server lesson until two clients wait in the listener's queue,
 * prints the lesson's directory and pids, and waits to be SIGKILLed.
 */
import { unixStreamServer } from '../sockets/unix-stream-server';
import { LessonRunner } from '../../session/lesson-runner';

const runner = await LessonRunner.start(unixStreamServer, { onEvent: () => undefined });
for (let i = 0; i < 8; i += 1) await runner.step();
process.stdout.write(`${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid })}\n`);
setInterval(() => undefined, 60_000);
