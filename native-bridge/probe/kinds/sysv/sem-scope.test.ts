import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SemSetObject } from '../../../model/snapshot-types';
import { IPC_RMID, sysv } from '../../../libc/sysv';
import { CWorkspace, ccMissingReason, lineOf, pollFor } from '../../testing/c-program-test-support';
import { takeSnapshot } from '../../sampler';

/* Creates a one-semaphore set, sets it to 0 (SETVAL makes this process its sempid) and exits. */
const INIT = `
#include <stdio.h>
#include <sys/sem.h>
int main(void) {
  int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  semctl(id, 0, SETVAL, 0);
  printf("%d\\n", id);
  return 0;
}`;

/* A worker thread waits in semop(-1) on the set; the main thread waits in pthread_join. */
const THREADED_WAITER = `
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sem.h>
static int id;
static void *worker(void *arg) {
  (void)arg;
  struct sembuf down = { 0, -1, 0 };
  semop(id, &down, 1);
  return NULL;
}
int main(int argc, char **argv) {
  id = atoi(argv[1]);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  printf("started\\n"); fflush(stdout);
  pthread_join(t, NULL);
  return 0;
}`;

/* ipcs -s -i: the semaphore rows "semnum value ncount zcount pid". */
function ipcsRows(semid: number): number[][] {
  return execFileSync('ipcs', ['-s', '-i', String(semid)], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 5 && f.every((c) => /^\d+$/.test(c)))
    .map((f) => f.map(Number));
}

/* The threads of `pid` asleep in semtimedop (220) / semop (65) on `semid`, from /proc/PID/task/TID/syscall. */
function semopThreads(pid: number, semid: number): number[] {
  return readdirSync(`/proc/${pid}/task`)
    .map(Number)
    .filter((tid) => {
      const f = readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'latin1').trim().split(' ');
      return (f[0] === '220' || f[0] === '65') && Number(f[1]) === semid;
    });
}

const skip = ccMissingReason();

describe.skipIf(skip !== null)('semaphore sets in a PID scope', () => {
  let ws: CWorkspace | null = null;
  const sets: number[] = [];
  afterEach(async () => {
    await ws?.remove();
    ws = null;
    for (const id of sets.splice(0)) sysv.semctlInt(id, 0, IPC_RMID, 0);
  });

  it('holds a set a worker thread of a scoped process waits on, though another process operated last', async () => {
    ws = new CWorkspace();
    const semid = Number(execFileSync(ws.compile('sem-init', INIT), { encoding: 'utf8' }).trim());
    sets.push(semid);
    const waiter = ws.run(ws.compile('sem-waiter', THREADED_WAITER, ['-pthread']), [String(semid)]);
    await lineOf(waiter, 'started');
    const threads = await pollFor('a thread in semop', () => {
      const found = semopThreads(waiter.pid, semid);
      return found.length > 0 ? found : undefined;
    });
    expect(threads).not.toContain(waiter.pid); // the main thread is in pthread_join
    const [row] = ipcsRows(semid);
    expect(row![2]).toBe(1); // ncount
    expect(row![4]).not.toBe(waiter.pid); // sempid: the exited initialiser

    const set = takeSnapshot({ pids: [waiter.pid] }).objects.find((o): o is SemSetObject => o.id === `sem:${semid}`);
    expect(set).toBeDefined();
    expect(set!.waiting).toEqual([waiter.pid]);
    expect(set!.semaphores[0]).toMatchObject({ value: row![1], waitingForIncrease: row![2], waitingForZero: row![3], lastPid: row![4] });
  });
});
