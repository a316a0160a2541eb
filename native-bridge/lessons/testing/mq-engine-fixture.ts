/**
 * Test fixture for msgq-posix.test.ts: an engine that runs the POSIX queue
 * lesson until three messages are queued and the receiver exists, prints
 * the lesson's directory, pids and the sender's IPC namespace, and waits to
 * be SIGKILLed (no handler of its runs).
 */
import { readlinkSync } from 'node:fs';
import { LessonRunner } from '../../session/lesson-runner';
import { msgqPosix } from '../queues/msgq-posix';

const runner = await LessonRunner.start(msgqPosix, { onEvent: () => undefined });
for (let i = 0; i < 10; i += 1) await runner.step();
const sender = runner.view(false, 1).roles.sender!;
process.stdout.write(`${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid, ipcNs: readlinkSync(`/proc/${sender}/ns/ipc`) })}\n`);
setInterval(() => undefined, 60_000);
