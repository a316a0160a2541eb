/**
 * Test fixture for ipc-race.test.ts: an engine that runs the race lesson
 * until the echo sleeps in semop at the shared-memory race (queue, segment,
 * set and TCP listener made), prints the lesson's directory, pids, ids and
 * port, and waits to be SIGKILLed (no handler of its runs).
 */
import { LessonRunner } from '../../session/lesson-runner';
import { ipcRace } from '../race/ipc-race';
import { validateParams } from '../lesson-params';

const runner = await LessonRunner.start(ipcRace, { onEvent: () => undefined }, { questionsOn: false, params: validateParams(ipcRace, { size: '64', kib: 16 }) });
const shmEcho = runner.steps.findIndex((s) => s.code.startsWith('echo_shm('));
while (runner.next <= shmEcho) await runner.step();
const view = runner.view(false, 1);
const id = (kind: string): number => Number(view.objects.find((o) => o.startsWith(`${kind}:`))?.split(':')[1]);
process.stdout.write(
  `${JSON.stringify({ dir: runner.dir, pids: runner.pids(), watchdog: runner.dirWatchdogPid, msqid: id('msg'), shmid: id('shm'), semid: id('sem'), echo: view.roles.echo })}\n`,
);
setInterval(() => undefined, 60_000);
