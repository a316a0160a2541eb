/**
 * Test support for shm-limits.test.ts: run in a private IPC namespace whose
 * shmmax the test lowered (`unshare --ipc`), it starts the shared-memory
 * lesson with the size given in argv[2], steps to the server's shmget, and
 * prints one JSON line: the lesson's error, the step's status, and
 * /proc/sysvipc/shm's rows before and after dispose (this namespace's).
 */
import { existsSync, readFileSync } from 'node:fs';
import { LessonRunner } from '../../session/lesson-runner';
import { validateParams } from '../lesson-params';
import { shmServerClient } from '../shared-memory/shm-server-client';

const rows = (): number => readFileSync('/proc/sysvipc/shm', 'utf8').trim().split('\n').length - 1;

async function main(): Promise<void> {
  /* the runner's sockets do not hold the event loop open (an engine has its server for that) */
  const keepAlive = setInterval(() => undefined, 1000);
  const size = Number(process.argv[2]);
  const runner = await LessonRunner.start(shmServerClient, { onEvent: () => undefined }, { params: validateParams(shmServerClient, { size }) });
  const dir = runner.dir;
  while (runner.next < 3) await runner.step();
  const pids = runner.pids();
  const view = runner.view(false, 1);
  const during = rows();
  await runner.dispose();
  clearInterval(keepAlive);
  process.stdout.write(
    `${JSON.stringify({ error: view.error, status: view.steps[2]?.status, shmmax: readFileSync('/proc/sys/kernel/shmmax', 'utf8').trim(), during, after: rows(), dirLeft: dir !== null && existsSync(dir), pids })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
