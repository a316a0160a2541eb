/**
 * Deadlock rings through other objects than pipes, on real processes: two
 * flock() calls each waiting for the lock the other took (flock has no
 * deadlock detection: both sleep in locks_lock_inode_wait), and a ring
 * through a Unix socketpair and a pipe (recv() waits on the peer's holder,
 * read() on the pipe's writer).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asleepIn, diagnosesOf, python3MissingReason, PythonSituation } from './testing/python-situation';

const skip = python3MissingReason();
const situations: PythonSituation[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of situations.splice(0)) await s.kill();
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
