/**
 * Traffic no sample sees queued: a real parent writes a 4-byte task code to
 * its child every ~200 ms and the child reads it within microseconds, so the
 * pipe is empty at every tick. `watch --rate 60` must still show each write
 * and each read, from the kernel's /proc/PID/io counters, tied to the pipe
 * (the only descriptor either process could have used), and the totals must
 * be what the kernel counted.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import { O_NONBLOCK, makePipe, native } from '../libc/libc';
import { takeSnapshot } from '../probe/index';
import { BIN, ChildSet, killAndReap, pipeInode, wchanOf } from './cli-test-support';
import { diffSnapshots, type Change } from './snapshot-diff';
import { waitFor } from './wait-for';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const WRITES = 5;

/*
 * The child closes everything but the pipe's read end, the parent everything
 * writable but the write end (stdio 'ignore' opens /dev/null read-write on 1
 * and 2). The parent writes on SIGUSR1, then waits for another.
 */
const PROGRAM = `
import os, signal, time
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
r, w = os.pipe()
if os.fork() == 0:
    os.close(w)
    for fd in (0, 1, 2):
        os.close(fd)
    while os.read(r, 4):
        pass
    os._exit(0)
os.close(r)
os.close(1)
os.close(2)
signal.sigwait([signal.SIGUSR1])
for i in range(${WRITES}):
    os.write(w, b'T%03d' % i)
    time.sleep(0.2)
signal.sigwait([signal.SIGUSR1])
`;

const children = new ChildSet();
const watchers: ChildProcessByStdio<null, Readable, Readable>[] = [];

beforeAll(() => {
  markInheritedCloexec();
});

afterEach(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => killAndReap(watcher)));
  await children.killAll();
});

function childOf(pid: number): number | undefined {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim();
  return text ? Number(text.split(/\s+/)[0]) : undefined;
}

function ioOf(pid: number): { wchar: number; syscw: number; rchar: number; syscr: number } {
  const text = readFileSync(`/proc/${pid}/io`, 'latin1');
  const value = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1]);
  return { wchar: value('wchar'), syscw: value('syscw'), rchar: value('rchar'), syscr: value('syscr') };
}

describe('watch: traffic between samples', () => {
  it('a 4-byte code written every 200 ms and read at once shows as each write and read on the pipe', async () => {
    const parent = children.spawn(PYTHON, ['-c', PROGRAM], 'ignore', true);
    await waitFor('the parent to wait for SIGUSR1', () => wchanOf(parent.pid).startsWith('do_sigtimedwait'), 20_000);
    const child = await waitFor('the child to block reading the pipe', () => {
      const pid = childOf(parent.pid);
      return pid !== undefined && wchanOf(pid) === 'anon_pipe_read' ? pid : undefined;
    });
    const id = `pipe:${pipeInode(child, 3)}`;

    const watch = spawn(process.execPath, [BIN, 'watch', '--pid', `${parent.pid}`, '--tree', '--json', '--rate', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
    watchers.push(watch);
    let stdout = '';
    let stderr = '';
    watch.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    watch.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await waitFor('watch to start', () => stderr.includes('watching') || watch.exitCode !== null, 15_000);
    expect(stderr).toMatch(/watching 2 processes/);
    const changes = (): Change[] => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Change);
    const carried = (pid: number, access: 'r' | 'w'): Change[] => changes().filter((c) => c.kind === 'object.carried' && c.pid === pid && c.access === access);
    const sum = (list: Change[], field: 'bytes' | 'calls'): number => list.reduce((total, c) => total + (c[field] ?? 0), 0);

    const before = { parent: ioOf(parent.pid), child: ioOf(child) };
    process.kill(parent.pid, 'SIGUSR1');
    await waitFor('every write to show', () => sum(carried(parent.pid, 'w'), 'calls') >= WRITES && sum(carried(child, 'r'), 'calls') >= WRITES, 20_000);
    await waitFor('the parent to wait again', () => wchanOf(parent.pid).startsWith('do_sigtimedwait'), 20_000);
    const after = { parent: ioOf(parent.pid), child: ioOf(child) };

    /* what the kernel counted between the two reads: five 4-byte writes, five 4-byte reads */
    expect(after.parent.wchar - before.parent.wchar).toBe(4 * WRITES);
    expect(after.parent.syscw - before.parent.syscw).toBe(WRITES);
    expect(after.child.rchar - before.child.rchar).toBe(4 * WRITES);

    const writes = carried(parent.pid, 'w');
    const reads = carried(child, 'r');
    expect(sum(writes, 'bytes')).toBe(4 * WRITES);
    expect(sum(writes, 'calls')).toBe(WRITES);
    expect(sum(reads, 'bytes')).toBe(4 * WRITES);
    expect(sum(reads, 'calls')).toBe(WRITES);
    for (const change of [...writes, ...reads]) expect(change.object).toBe(id);
    /* 200 ms apart at 60 Hz, each write usually lands in a tick of its own; a stalled watch adds them up, never loses one */
    expect(writes[0]?.text).toMatch(new RegExp(`^${id} carried \\d+ bytes from pid ${parent.pid} \\(python3(\\.\\d+)?\\) fd \\d+ in \\d+ calls? \\(its only writable descriptor\\)$`));
  });
});

describe('diffSnapshots: traffic that cannot be tied to one descriptor', () => {
  it('a write by a process holding two writable descriptors is counted for the process, not given to the pipe', async () => {
    /* non-blocking: the test polls its end for the bytes */
    const [readEnd, writeEnd] = makePipe(O_NONBLOCK);
    children.own(readEnd, writeEnd);
    /* fd 1 is the pipe, fd 2 /dev/null read-write: either could have taken the bytes */
    const program = 'import os, signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])\nsignal.sigwait([signal.SIGUSR1])\nos.write(1, b"T001")\nsignal.sigwait([signal.SIGUSR1])\n';
    const writer = children.spawn(PYTHON, ['-c', program], ['ignore', writeEnd, 'ignore']);
    children.close(writeEnd);
    await waitFor('the writer to wait for SIGUSR1', () => wchanOf(writer.pid).startsWith('do_sigtimedwait'), 20_000);
    const snap = (): ReturnType<typeof takeSnapshot> => takeSnapshot({ pids: [writer.pid] }, { peekBytes: 0, readMaps: false, readSignals: false, readIo: true });
    const before = snap();
    process.kill(writer.pid, 'SIGUSR1');
    const buffer = Buffer.alloc(16);
    const got = await waitFor('the 4 bytes to arrive', () => {
      const n = native.read(readEnd, buffer, buffer.length);
      return n > 0 ? n : undefined;
    });
    expect(got).toBe(4);
    await waitFor('the writer to wait again', () => wchanOf(writer.pid).startsWith('do_sigtimedwait'), 20_000);
    const changes = diffSnapshots(before, snap()).filter((c) => c.pid === writer.pid);
    expect(changes).toEqual([expect.objectContaining({ kind: 'process.wrote', bytes: 4, calls: 1 })]);
    expect(changes[0]?.text).toBe(`pid ${writer.pid} (python3) +4 bytes written in 1 call (whole process, /proc/${writer.pid}/io)`);
  });
});
