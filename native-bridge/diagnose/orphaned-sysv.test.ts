/**
 * Orphaned System V objects: a python3 process makes a shared memory segment,
 * a message queue holding one message and a semaphore set it raised once,
 * then exits without IPC_RMID. ipcs still lists all three; the whole-machine
 * snapshot names each as orphaned. While their creator lives: none.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { takeSnapshot } from '../probe/index';
import { diagnosesOf, pollFor, python3MissingReason, PythonSituation } from './testing/python-situation';

const skip = python3MissingReason();
const situations: PythonSituation[] = [];
const made: { shm: number; msg: number; sem: number }[] = [];
afterEach(async () => {
  for (const s of situations.splice(0)) await s.kill();
  for (const ids of made.splice(0)) {
    for (const [flag, id] of [['-m', ids.shm], ['-q', ids.msg], ['-s', ids.sem]] as const) {
      try {
        execFileSync('ipcrm', [flag, `${id}`], { stdio: 'ignore' });
      } catch {
        /* already removed */
      }
    }
  }
});

const makeObjects = (then: string): string => `
import ctypes, os, time
libc = ctypes.CDLL(None, use_errno=True)
IPC_PRIVATE, CREATE = 0, 0o1600
shm = libc.shmget(IPC_PRIVATE, 4096, CREATE)
q = libc.msgget(IPC_PRIVATE, CREATE)
class Msg(ctypes.Structure):
    _fields_ = [("mtype", ctypes.c_long), ("mtext", ctypes.c_char * 8)]
assert libc.msgsnd(q, ctypes.byref(Msg(1, b"left")), 4, 0) == 0
sem = libc.semget(IPC_PRIVATE, 1, CREATE)
class SemBuf(ctypes.Structure):
    _fields_ = [("sem_num", ctypes.c_ushort), ("sem_op", ctypes.c_short), ("sem_flg", ctypes.c_short)]
assert libc.semop(sem, ctypes.byref(SemBuf(0, 1, 0)), 1) == 0
say("ids", shm, q, sem)
${then}
`;

const ipcsLists = (flag: string, id: number): boolean => execFileSync('ipcs', [flag], { encoding: 'utf8' }).split('\n').some((line) => line.split(/\s+/)[1] === `${id}`);

function wholeMachineOrphans(): string[] {
  const snapshot = takeSnapshot({ all: true }, { peekBytes: 0, readMaps: true, readSignals: false });
  return diagnosesOf(snapshot, 'orphaned-sysv').flatMap((d) => d.objects);
}

describe.skipIf(skip !== null)('orphaned-sysv', () => {
  it('names shared memory, a message queue and a semaphore set whose creator exited without removing them', async () => {
    const s = new PythonSituation(makeObjects('os._exit(0)'));
    situations.push(s);
    const [shm, msg, sem] = await s.numbers('ids');
    made.push({ shm: shm!, msg: msg!, sem: sem! });
    await pollFor(`python ${s.pid} to exit`, () => (s.exited() ? true : undefined));
    /* the kernel keeps them */
    expect(ipcsLists('-m', shm!)).toBe(true);
    expect(ipcsLists('-q', msg!)).toBe(true);
    expect(ipcsLists('-s', sem!)).toBe(true);

    const snapshot = takeSnapshot({ all: true }, { peekBytes: 0, readMaps: true, readSignals: false });
    const orphans = diagnosesOf(snapshot, 'orphaned-sysv');
    const of = (id: string): string[] | undefined => orphans.find((d) => d.objects[0] === id)?.evidence;
    expect(of(`shm:${shm}`)).toEqual([
      expect.stringMatching(new RegExp(`^shm:${shm} \\(key 0x0, 4096 bytes\\) has no attacher \\(nattch 0\\)$`)),
      `its creator pid ${s.pid} is gone: nothing removed it (IPC_RMID)`,
    ]);
    expect(of(`msg:${msg}`)?.[1]).toBe(`its last sender pid ${s.pid} and last receiver pid - are gone: nothing removed it (IPC_RMID)`);
    expect(of(`sem:${sem}`)?.[1]).toBe(`the last processes to change it (sempid ${s.pid}) are gone: nothing removed it (IPC_RMID)`);
  });

  it('finds none while their creator lives', async () => {
    const s = new PythonSituation(makeObjects('time.sleep(1000)'));
    situations.push(s);
    const [shm, msg, sem] = await s.numbers('ids');
    made.push({ shm: shm!, msg: msg!, sem: sem! });
    expect(ipcsLists('-m', shm!)).toBe(true);
    const orphans = wholeMachineOrphans();
    for (const id of [`shm:${shm}`, `msg:${msg}`, `sem:${sem}`]) expect(orphans).not.toContain(id);
  });
});
