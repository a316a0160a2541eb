/**
 * The owner of System V objects by name, as `ipcs` prints it: the probe's
 * `ownerName` is the /etc/passwd name of the uid /proc/sysvipc reports (the
 * ipcs tab prints it: renderer/panels/kernel-tables.test.tsx); a uid with no
 * name has none, and stays a number (the segment is handed to such a uid with
 * IPC_SET, which needs root).
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { IpcObject, MsgQueueObject, SemSetObject, ShmObject } from '../../../model/snapshot-types';
import { check, libc } from '../../../libc/libc';
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, IPC_STAT, sysv } from '../../../libc/sysv';
import { userNames } from '../../process/user-names';
import { buildTestContext } from '../../testing/ipc-test-context';
import { sysvMsgProbe } from './sysv-msg';
import { sysvSemProbe } from './sysv-sem';
import { sysvShmProbe } from './sysv-shm';

/* IPC_SET 1 reads the struct: declared here with the buffer going in (sysv.shmctl's is _Out_, for IPC_STAT) */
const IPC_SET = 1;
const shmctlSet = libc().func('int shmctl(int id, int cmd, _Inout_ uint8_t *buf)') as (id: number, cmd: number, buf: Uint8Array) => number;

/* ipcs -m / -q / -s rows: key id owner ...; the owner column as ipcs prints it (getpwuid's name, else the number) */
function ipcsOwner(flag: '-m' | '-q' | '-s', id: number): string | null {
  for (const line of execFileSync('ipcs', [flag], { encoding: 'utf8' }).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === String(id)) return f[2]!;
  }
  return null;
}

/* the whole machine: a PID scope keeps a queue or set only once a process in it used it */
const collectAll = (): IpcObject[] => [sysvShmProbe, sysvMsgProbe, sysvSemProbe].flatMap((p) => p.collect(buildTestContext([], { wholeMachine: true })).objects);

describe('System V owners by name', () => {
  const shms: number[] = [];
  const queues: number[] = [];
  const sets: number[] = [];
  afterEach(() => {
    for (const id of shms.splice(0)) sysv.shmctl(id, IPC_RMID, null);
    for (const id of queues.splice(0)) sysv.msgctl(id, IPC_RMID, null);
    for (const id of sets.splice(0)) sysv.semctlInt(id, 0, IPC_RMID, 0);
  });

  it('each object carries the name ipcs prints as its owner', () => {
    const shmid = check('shmget', sysv.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600));
    shms.push(shmid);
    const msqid = check('msgget', sysv.msgget(IPC_PRIVATE, IPC_CREAT | 0o600));
    queues.push(msqid);
    const semid = check('semget', sysv.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600));
    sets.push(semid);

    const objects = collectAll();
    const shm = objects.find((o): o is ShmObject => o.id === `shm:${shmid}`)!;
    const msg = objects.find((o): o is MsgQueueObject => o.id === `msg:${msqid}`)!;
    const sem = objects.find((o): o is SemSetObject => o.id === `sem:${semid}`)!;
    const name = ipcsOwner('-m', shmid)!;
    /* the test runs as a user with a name (root here): ipcs prints the name, not the uid */
    expect(name).not.toMatch(/^\d+$/);
    expect([shm.ownerName, msg.ownerName, sem.ownerName]).toEqual([name, ipcsOwner('-q', msqid), ipcsOwner('-s', semid)]);
    expect([shm.owner, msg.owner, sem.owner]).toEqual([process.getuid!(), process.getuid!(), process.getuid!()]);
  });

  it.skipIf(process.getuid?.() !== 0)('a uid with no name in /etc/passwd stays a number, as in ipcs', () => {
    const shmid = check('shmget', sysv.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600));
    shms.push(shmid);
    const names = userNames();
    let uid = 54321;
    while (names.has(uid)) uid += 1;
    /* shmid_ds from IPC_STAT, ipc_perm.uid at offset 4 (KERNEL-FACTS "System V"), written back with IPC_SET */
    const ds = new Uint8Array(112);
    check('shmctl(IPC_STAT)', sysv.shmctl(shmid, IPC_STAT, ds));
    new DataView(ds.buffer).setUint32(4, uid, true);
    check('shmctl(IPC_SET)', shmctlSet(shmid, IPC_SET, ds));
    expect(ipcsOwner('-m', shmid)).toBe(String(uid));

    const objects = collectAll();
    const shm = objects.find((o): o is ShmObject => o.id === `shm:${shmid}`)!;
    expect(shm.owner).toBe(uid);
    expect(shm.ownerName).toBeUndefined();
  });
});
