/**
 * Test fixture for process-pool.test.ts: an engine that starts the pool
 * (10 workers, version keeps), waits until every worker sleeps in read,
 * prints the lesson's directory and pids, and waits to be SIGKILLed (no
 * handler of its runs).
 */
import { readKernelWait } from '../../actor/kernel-wait';
import { LessonRunner } from '../../session/lesson-runner';
import { validateParams } from '../lesson-params';
import { processPool } from '../pool/process-pool';

const runner = await LessonRunner.start(processPool, { onEvent: () => undefined }, { params: validateParams(processPool, { workers: 10 }) });
await runner.step();
const workers = runner.pids().slice(1);
while (!workers.every((pid) => readKernelWait(pid)?.wchan === 'anon_pipe_read')) await new Promise((r) => setTimeout(r, 10));
process.stdout.write(`${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid })}\n`);
setInterval(() => undefined, 60_000);
