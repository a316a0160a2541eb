import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShmObject } from '../../../model/snapshot-types';
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, sysv } from '../../../libc/sysv';
import { check } from '../../../libc/libc';
import { buildTestContext } from '../../testing/ipc-test-context';
import { type ScriptChild, spawnScript, stopChild } from '../../testing/ipc-test-children';
import { sysvShmProbe } from './sysv-shm';

/* Where /proc/PID/maps puts segment `shmid` (the inode column is the shmid). */
function mapsStart(pid: number, shmid: number): string | undefined {
  const line = readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .find((l) => l.includes('/SYSV') && Number(l.trim().split(/\s+/)[4]) === shmid);
  return line ? `0x${line.split('-')[0]!}` : undefined;
}

describe('sysvShmProbe: where each attacher maps the segment', () => {
  const created: number[] = [];
  const children: ScriptChild[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await stopChild(c);
    for (const id of created.splice(0)) sysv.shmctl(id, IPC_RMID, null);
  });

  it('gives each attaching pid the start address its /proc/PID/maps shows', async () => {
    const shmid = check('shmget', sysv.shmget(IPC_PRIVATE, 4000, IPC_CREAT | 0o600));
    created.push(shmid);
    for (let i = 0; i < 2; i += 1) {
      children.push(
        await spawnScript(`
          const shmat = lib.func('void *shmat(int id, void *addr, int flags)');
          if (shmat(${shmid}, null, 0) === 0xffffffffffffffffn) process.exit(1);
          keepAlive();
          console.log('ready');
        `),
      );
    }
    const pids = children.map((c) => c.pid);
    const { objects } = sysvShmProbe.collect(buildTestContext([process.pid, ...pids]));
    const shm = objects.find((o): o is ShmObject => o.id === `shm:${shmid}`)!;
    expect(shm.attached).toEqual([...pids].sort((a, b) => a - b));
    expect(shm.mappedAt).toEqual(Object.fromEntries(pids.map((pid) => [String(pid), mapsStart(pid, shmid)])));
  });
});
