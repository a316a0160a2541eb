/**
 * Test fixture for shm-server-client.test.ts: an engine that runs the shared
 * memory lesson until both processes are attached (nattch 2), prints the
 * lesson's directory, pids and shmid, and waits to be SIGKILLed (no handler
 * of its runs).
 */
import { readFileSync } from 'node:fs';
import { SHM_RECORD } from '../../session/lesson-shm-record';
import { shmServerClient } from '../shared-memory/shm-server-client';
import { LessonRunner } from '../../session/lesson-runner';

const runner = await LessonRunner.start(shmServerClient, { onEvent: () => undefined });
for (let i = 0; i < 8; i += 1) await runner.step();
process.stdout.write(`${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid, shmid: Number(readFileSync(`${runner.dir!}/${SHM_RECORD}`, 'utf8').trim()) })}\n`);
setInterval(() => undefined, 60_000);
