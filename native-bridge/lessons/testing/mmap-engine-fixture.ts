/**
 * Test fixture for mmap-lock.test.ts: an engine that runs the mmap-lock
 * lesson until the reader sleeps waiting for the writer's lock, prints the
 * lesson's directory, pids, watchdog and the file's inode, and waits to be
 * SIGKILLed (no handler of its runs).
 */
import { statSync } from 'node:fs';
import { LessonRunner } from '../../session/lesson-runner';
import { mmapLock } from '../shared-memory/mmap-lock';

/* the runner's sockets do not hold the event loop open */
setInterval(() => undefined, 60_000);
const runner = await LessonRunner.start(mmapLock, { onEvent: () => undefined });
for (let i = 0; i < 9; i += 1) await runner.step();
const inode = statSync(`${runner.dir!}/shared.dat`).ino;
process.stdout.write(`${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid, inode })}\n`);
