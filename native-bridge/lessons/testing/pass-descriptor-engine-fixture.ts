/**
 * Test fixture for pass-descriptor.test.ts: an engine that runs the lesson
 * until the pipe's read end is in flight (sent, closed by the sender, not yet
 * received), prints the lesson's directory, pids and the pipe, and waits to be
 * SIGKILLed.
 */
import { LessonRunner } from '../../session/lesson-runner';
import { passDescriptor } from '../sockets/pass-descriptor';

const runner = await LessonRunner.start(passDescriptor, { onEvent: () => undefined });
for (let i = 0; i < 11; i += 1) await runner.step();
const pipe = runner.view(false, 1).objects.find((id) => id.startsWith('pipe:'));
process.stdout.write(`${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid, pipe })}\n`);
setInterval(() => undefined, 60_000);
