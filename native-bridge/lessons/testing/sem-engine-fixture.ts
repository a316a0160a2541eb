/**
 * Test fixture for sem-counter.test.ts: an engine that runs the semaphore
 * lesson until both adders sleep at the start gate (segment and set made),
 * prints the lesson's directory, pids, shmid and semid, and waits to be
 * SIGKILLed (no handler of its runs).
 */
import { readFileSync } from 'node:fs';
import { SEM_RECORD } from '../../session/lesson-sem-record';
import { SHM_RECORD } from '../../session/lesson-shm-record';
import { LessonRunner } from '../../session/lesson-runner';
import { semCounter } from '../shared-memory/sem-counter';

const runner = await LessonRunner.start(semCounter, { onEvent: () => undefined }, { questionsOn: false });
for (let i = 0; i < 9; i += 1) await runner.step();
const recorded = (name: string): number => Number(readFileSync(`${runner.dir!}/${name}`, 'utf8').trim());
process.stdout.write(
  `${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid, shmid: recorded(SHM_RECORD), semid: recorded(SEM_RECORD) })}\n`,
);
setInterval(() => undefined, 60_000);
