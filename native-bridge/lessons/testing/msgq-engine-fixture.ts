/**
 * Test fixture for msgq-typed.test.ts: an engine that runs the typed
 * message-queue lesson until the receiver sleeps in msgrcv, prints the
 * lesson's directory, pids and msqid, and waits to be SIGKILLed (no handler
 * of its runs).
 */
import { readFileSync } from 'node:fs';
import { MSG_RECORD } from '../../session/lesson-msgq-record';
import { LessonRunner } from '../../session/lesson-runner';
import { msgqTyped } from '../queues/msgq-typed';

const runner = await LessonRunner.start(msgqTyped, { onEvent: () => undefined });
for (let i = 0; i < 3; i += 1) await runner.step();
process.stdout.write(`${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid, msqid: Number(readFileSync(`${runner.dir!}/${MSG_RECORD}`, 'utf8').trim()) })}\n`);
setInterval(() => undefined, 60_000);
