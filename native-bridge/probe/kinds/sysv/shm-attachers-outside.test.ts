import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipeObject, ShmObject } from '../../../model/snapshot-types';
import { CWorkspace, ccMissingReason, lineOf, pollFor } from '../../testing/c-program-test-support';
import { Sampler, WATCH_SAMPLER_OPTIONS, takeSnapshot } from '../../sampler';
import { IPC_RMID, sysv } from '../../../libc/sysv';

/* The textbook writer/reader pair: the parent attaches a segment, forks (the child inherits the attachment), both keep a pipe and sleep. */
const SHM_PAIR = `
#include <stdio.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  char *p = shmat(id, NULL, 0);
  int fds[2]; pipe(fds);
  p[0] = 'x';
  pid_t child = fork();
  if (child == 0) { printf("child %d\\n", getpid()); fflush(stdout); pause(); return 0; }
  printf("shmid %d\\n", id); fflush(stdout);
  shmctl(id, IPC_RMID, NULL); /* gone once both detach */
  wait(NULL);
}`;

/* As SHM_PAIR, without removing the segment; the parent detaches on SIGUSR1 and attaches again on SIGUSR2. */
const SHM_PAIR_TOGGLING = `
#include <signal.h>
#include <stdio.h>
#include <sys/shm.h>
#include <unistd.h>
static volatile sig_atomic_t want = 1;
static void detach(int s) { (void)s; want = 0; }
static void attach(int s) { (void)s; want = 1; }
int main(void) {
  int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  char *p = shmat(id, NULL, 0);
  signal(SIGUSR1, detach);
  signal(SIGUSR2, attach);
  pid_t child = fork();
  if (child == 0) { printf("child %d\\n", getpid()); fflush(stdout); for (;;) pause(); }
  printf("shmid %d\\n", id); fflush(stdout);
  int attached = 1;
  for (;;) {
    pause();
    if (!want && attached) { shmdt(p); attached = 0; printf("detached\\n"); fflush(stdout); }
    if (want && !attached) { p = shmat(id, NULL, 0); attached = 1; printf("attached\\n"); fflush(stdout); }
  }
}`;

/* The PIDs whose /proc/PID/maps map the segment (inode column = shmid), over the whole machine. */
function mapsAttachers(shmid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const maps = readFileSync(`/proc/${name}/maps`, 'latin1');
      if (maps.split('\n').some((l) => l.split(/\s+/)[4] === String(shmid) && l.includes('/SYSV'))) pids.push(Number(name));
    } catch {
      /* exited */
    }
  }
  return pids.sort((a, b) => a - b);
}

function ipcsNattch(shmid: number): number {
  const out = execFileSync('ipcs', ['-m'], { encoding: 'utf8' });
  const row = out.split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[1] === String(shmid));
  return Number(row?.[5]);
}

const skip = ccMissingReason();

describe.skipIf(skip !== null)('System V segment attachers outside a PID scope', () => {
  let ws: CWorkspace | null = null;
  const segments: number[] = [];
  afterEach(async () => {
    await ws?.remove();
    ws = null;
    for (const id of segments.splice(0)) sysv.shmctl(id, IPC_RMID, null);
  });

  it('lists every process mapping the segment, as the pipe the scoped process holds lists holders outside the scope', async () => {
    ws = new CWorkspace();
    const parent = ws.run(ws.compile('shm-pair', SHM_PAIR));
    const shmid = Number((await lineOf(parent, 'shmid ')).slice(6));
    const child = Number((await lineOf(parent, 'child ')).slice(6));
    const attachers = mapsAttachers(shmid);
    expect(attachers).toEqual([parent.pid, child].sort((a, b) => a - b));
    expect(ipcsNattch(shmid)).toBe(2);

    const snapshot = takeSnapshot({ pids: [child] });
    const shm = snapshot.objects.find((o): o is ShmObject => o.id === `shm:${shmid}`);
    expect(shm?.nattch).toBe(2);
    expect(shm?.attached).toEqual(attachers);
    // the pipe both hold: its holder outside the scope is listed too
    const pipe = snapshot.objects.find((o): o is PipeObject => o.kind === 'pipe');
    expect(pipe?.holders.map((h) => h.pid)).toContain(parent.pid);
  });

  it('a watch sees an attacher outside its scope detach and attach again', async () => {
    ws = new CWorkspace();
    const parent = ws.run(ws.compile('shm-toggle', SHM_PAIR_TOGGLING));
    const shmid = Number((await lineOf(parent, 'shmid ')).slice(6));
    segments.push(shmid);
    const child = Number((await lineOf(parent, 'child ')).slice(6));
    const sampler = new Sampler(WATCH_SAMPLER_OPTIONS);
    const attachedNow = (): ShmObject | undefined => sampler.sample({ pids: [child] }).objects.find((o): o is ShmObject => o.id === `shm:${shmid}`);
    try {
      expect(attachedNow()?.attached).toEqual([parent.pid, child].sort((a, b) => a - b));
      parent.process.kill('SIGUSR1');
      await lineOf(parent, 'detached');
      expect(mapsAttachers(shmid)).toEqual([child]);
      const after = await pollFor('the detach to show', () => {
        const shm = attachedNow();
        return shm?.nattch === 1 ? shm : undefined;
      });
      expect(after.attached).toEqual([child]);
      parent.process.kill('SIGUSR2');
      await lineOf(parent, 'attached');
      const again = await pollFor('the attach to show', () => {
        const shm = attachedNow();
        return shm?.nattch === 2 ? shm : undefined;
      });
      expect(again.attached).toEqual(mapsAttachers(shmid));
      expect(again.attached).toContain(parent.pid);
    } finally {
      sampler.close();
    }
  });
});
