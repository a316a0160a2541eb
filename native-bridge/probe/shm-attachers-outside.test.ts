import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipeObject, ShmObject } from '../model/snapshot-types';
import { CWorkspace, ccMissingReason, lineOf } from './c-program-test-support';
import { takeSnapshot } from './sampler';

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
  afterEach(async () => {
    await ws?.remove();
    ws = null;
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
});
