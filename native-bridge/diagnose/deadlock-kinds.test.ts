/**
 * Deadlock rings through other objects than pipes, on real processes: two
 * flock() calls each waiting for the lock the other took (flock has no
 * deadlock detection: both sleep in locks_lock_inode_wait), and a ring
 * through a Unix socketpair and a pipe (recv() waits on the peer's holder,
 * read() on the pipe's writer).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asleepIn, diagnosesOf, python3MissingReason, PythonSituation } from './testing/python-situation';

const skip = python3MissingReason();
const situations: PythonSituation[] = [];
const dirs: string[] = [];
const semaphoreSets: number[] = [];
afterEach(async () => {
  for (const s of situations.splice(0)) await s.kill();
  /* removed only once nobody sleeps on them (IPC_RMID would wake the sleepers with EIDRM) */
  for (const id of semaphoreSets.splice(0)) spawnSync('ipcrm', ['-s', `${id}`], { stdio: 'ignore' });
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip !== null)('deadlock through locks and sockets', () => {
  it('names two processes each asleep in flock() on the file the other locked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipcscope-diagnose-'));
    dirs.push(dir);
    const [one, two] = [join(dir, 'one'), join(dir, 'two')];
    /* each takes its first lock, then tells the other through a pipe; only then asks for the second */
    const s = new PythonSituation(`
import fcntl, os
c2p_r, c2p_w = os.pipe()
p2c_r, p2c_w = os.pipe()
def lock(path):
    fcntl.flock(os.open(path, os.O_CREAT | os.O_RDWR), fcntl.LOCK_EX)
if os.fork() == 0:
    lock(${JSON.stringify(two)})
    say("second", os.getpid())
    os.write(c2p_w, b"1"); os.read(p2c_r, 1)
    lock(${JSON.stringify(one)})
    os._exit(0)
lock(${JSON.stringify(one)})
say("first", os.getpid())
os.read(c2p_r, 1); os.write(p2c_w, b"1")
lock(${JSON.stringify(two)})
`);
    situations.push(s);
    const [first] = await s.numbers('first');
    const [second] = await s.numbers('second');
    await asleepIn(first!, 'locks_lock_inode_wait');
    await asleepIn(second!, 'locks_lock_inode_wait');

    const deadlocks = diagnosesOf(s.snapshot(), 'deadlock');
    expect(deadlocks).toHaveLength(1);
    expect([...deadlocks[0]!.processes].sort()).toEqual([first, second].sort());
    expect(deadlocks[0]!.objects.every((id) => id.startsWith('lock:'))).toBe(true);
    expect(deadlocks[0]!.evidence).toContain(`pid ${first} (python3) is asleep in flock() waiting for a lock on ${two}; only pid ${second} (python3) holds the lock, and is asleep too`);
  });

  it('names a ring through a Unix socketpair and a pipe', async () => {
    const s = new PythonSituation(`
import os, socket
a, b = socket.socketpair()
r, w = os.pipe()
if os.fork() == 0:
    a.close(); os.close(w)
    say("reader", os.getpid())
    os.read(r, 1); os._exit(0)
b.close(); os.close(r)
say("receiver", os.getpid())
a.recv(1)
`);
    situations.push(s);
    const [receiver] = await s.numbers('receiver');
    const [reader] = await s.numbers('reader');
    await asleepIn(receiver!, 'unix_stream_read_generic');
    await asleepIn(reader!, 'anon_pipe_read');

    const deadlocks = diagnosesOf(s.snapshot(), 'deadlock');
    expect(deadlocks).toHaveLength(1);
    expect([...deadlocks[0]!.processes].sort()).toEqual([receiver, reader].sort());
    expect(deadlocks[0]!.objects.map((id) => id.split(':')[0]).sort()).toEqual(['pipe', 'unix']);
    expect(deadlocks[0]!.evidence.find((line) => line.startsWith(`pid ${receiver} `))).toMatch(/is asleep in recvfrom\(\d+\) on unix:\d+ \(nothing queued\); only pid \d+ \(python3\) through fd \d+ holds the peer unix:\d+, and is asleep too$/);
  });
});

describe.skipIf(skip !== null)('deadlock of one process and through semaphores', () => {
  it('names a process asleep in flock() on a file it locked itself through another open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipcscope-diagnose-'));
    dirs.push(dir);
    const path = join(dir, 'self');
    const s = new PythonSituation(`
import fcntl, os
first = os.open(${JSON.stringify(path)}, os.O_CREAT | os.O_RDWR)
fcntl.flock(first, fcntl.LOCK_EX)
say("locker", os.getpid())
# a second open is a second open file description: flock() on it waits for the first
fcntl.flock(os.open(${JSON.stringify(path)}, os.O_RDWR), fcntl.LOCK_EX)
`);
    situations.push(s);
    const [locker] = await s.numbers('locker');
    await asleepIn(locker!, 'locks_lock_inode_wait');
    const deadlocks = diagnosesOf(s.snapshot(), 'deadlock');
    expect(deadlocks).toHaveLength(1);
    expect(deadlocks[0]!.processes).toEqual([locker]);
    expect(deadlocks[0]!.evidence).toEqual([`pid ${locker} (python3) is asleep in flock() waiting for a lock on ${path}; only pid ${locker} (python3) holds the lock, itself`]);
  });

  it('names two processes each asleep in semop() on the semaphore the other took last (sempid)', async () => {
    const s = new PythonSituation(`
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
class SemBuf(ctypes.Structure):
    _fields_ = [("sem_num", ctypes.c_ushort), ("sem_op", ctypes.c_short), ("sem_flg", ctypes.c_short)]
def semop(sem, op):
    assert libc.semop(sem, ctypes.byref(SemBuf(0, op, 0)), 1) == 0
s1 = libc.semget(0, 1, 0o1600)
s2 = libc.semget(0, 1, 0o1600)
semop(s1, 1); semop(s2, 1)
c2p_r, c2p_w = os.pipe()
p2c_r, p2c_w = os.pipe()
if os.fork() == 0:
    semop(s2, -1)
    say("second", os.getpid())
    os.write(c2p_w, b"1"); os.read(p2c_r, 1)
    semop(s1, -1); os._exit(0)
semop(s1, -1)
say("first", os.getpid(), s1, s2)
os.read(c2p_r, 1); os.write(p2c_w, b"1")
semop(s2, -1)
`);
    situations.push(s);
    const [first, s1, s2] = await s.numbers('first');
    const [second] = await s.numbers('second');
    semaphoreSets.push(s1!, s2!);
    await asleepIn(first!, '__do_semtimedop');
    await asleepIn(second!, '__do_semtimedop');
    const deadlocks = diagnosesOf(s.snapshot(), 'deadlock');
    expect(deadlocks).toHaveLength(1);
    expect([...deadlocks[0]!.processes].sort()).toEqual([first, second].sort());
    expect([...deadlocks[0]!.objects].sort()).toEqual([`sem:${s1}`, `sem:${s2}`].sort());
    expect(deadlocks[0]!.evidence).toContain(`pid ${first} (python3) is asleep in semtimedop() on sem:${s2}; only pid ${second} (python3) was the last to change it (sempid), and is asleep too`);
  });
});
