/**
 * diffSnapshots on real snapshots of states built here: bytes written into a
 * pipe, descriptors opened and closed, a process stopped, one exiting and
 * another appearing in a watched tree.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import { makePipe, native } from '../libc/libc';
import { IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, encodeMsgbuf, sysv } from '../libc/sysv';
import type { Snapshot } from '../model/snapshot-types';
import { takeSnapshot, type Scope } from '../probe/index';
import { ChildSet, pipeInode, wchanOf } from './cli-test-support';
import { waitFor } from './wait-for';
import { diffSnapshots } from './snapshot-diff';

const children = new ChildSet();

beforeAll(() => {
  markInheritedCloexec();
});

afterEach(async () => {
  await children.killAll();
});

function snap(scope: Scope): Snapshot {
  return takeSnapshot(scope, { peekBytes: 0, readMaps: false, readSignals: false });
}

function stateOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

describe('diffSnapshots on real snapshots', () => {
  it('two snapshots of an unchanged state differ in nothing', async () => {
    const sleeper = children.spawn('sleep', ['300'], 'ignore');
    await waitFor('sleep to sleep', () => wchanOf(sleeper.pid) === 'hrtimer_nanosleep');
    expect(diffSnapshots(snap({ pids: [sleeper.pid] }), snap({ pids: [sleeper.pid] }))).toEqual([]);
  });

  it('bytes written into a pipe show as one queued change on that pipe', async () => {
    const [readEnd, writeEnd] = makePipe();
    children.own(readEnd, writeEnd);
    const reader = children.spawn('sleep', ['300'], [readEnd, 'ignore', 'ignore']);
    children.close(readEnd);
    await waitFor('sleep to sleep', () => wchanOf(reader.pid) === 'hrtimer_nanosleep');
    const id = `pipe:${pipeInode(reader.pid, 0)}`;
    const before = snap({ pids: [reader.pid] });
    const bytes = Buffer.from('twelve bytes');
    expect(native.write(writeEnd, bytes, bytes.length)).toBe(12);
    const after = snap({ pids: [reader.pid] });
    const changes = diffSnapshots(before, after);
    expect(changes).toEqual([expect.objectContaining({ kind: 'object.queued', object: id, from: 0, to: 12, time: after.takenAt })]);
    expect(changes[0]?.text).toBe(`${id} queued 0 -> 12`);
  });

  it('a pipe created and closed by this process shows as fds opened, then closed', () => {
    const scope = { pids: [process.pid] };
    const before = snap(scope);
    const [readEnd, writeEnd] = makePipe();
    children.own(readEnd, writeEnd);
    const id = `pipe:${pipeInode('self', readEnd)}`;
    const opened = snap(scope);
    const openChanges = diffSnapshots(before, opened).filter((c) => c.kind === 'fd.opened');
    expect(openChanges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pid: process.pid, fd: readEnd, object: id }),
        expect.objectContaining({ pid: process.pid, fd: writeEnd, object: id }),
      ]),
    );
    expect(diffSnapshots(before, opened)).toContainEqual(expect.objectContaining({ kind: 'object.appeared', object: id }));
    children.close(readEnd);
    children.close(writeEnd);
    const closed = snap(scope);
    const closeChanges = diffSnapshots(opened, closed);
    expect(closeChanges.filter((c) => c.object === id).map((c) => `${c.kind} ${c.fd ?? ''}`).sort()).toEqual(
      [`fd.closed ${readEnd}`, `fd.closed ${writeEnd}`, 'object.removed '].sort(),
    );
  });

  it('SIGSTOP shows as state S -> T (leaving nanosleep, blocked on no object, is not a change)', async () => {
    const sleeper = children.spawn('sleep', ['300'], 'ignore');
    await waitFor('sleep to sleep', () => wchanOf(sleeper.pid) === 'hrtimer_nanosleep');
    const before = snap({ pids: [sleeper.pid] });
    process.kill(sleeper.pid, 'SIGSTOP');
    await waitFor('the kernel to show it stopped', () => stateOf(sleeper.pid) === 'T');
    const after = snap({ pids: [sleeper.pid] });
    const changes = diffSnapshots(before, after);
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'process.state', pid: sleeper.pid, from: 'S', to: 'T' }));
    expect(changes).not.toContainEqual(expect.objectContaining({ kind: 'process.blocked' }));
  });

  it('in a watched tree, a child exiting and its successor appearing', async () => {
    /* the shell runs one sleep after the other: killing the first starts the second */
    const shell = children.spawn('sh', ['-c', 'sleep 300; sleep 300'], 'ignore', true);
    const childOf = (pid: number): number | undefined => {
      const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim();
      return text ? Number(text.split(/\s+/)[0]) : undefined;
    };
    const first = await waitFor('the first sleep', () => childOf(shell.pid));
    const scope = { pids: [shell.pid], tree: true };
    const before = snap(scope);
    process.kill(first, 'SIGKILL');
    const second = await waitFor('the second sleep', () => {
      const now = childOf(shell.pid);
      /* right after fork the child is still "sh": wait until it has exec'd sleep */
      if (now === undefined || now === first) return undefined;
      try {
        return readFileSync(`/proc/${now}/comm`, 'latin1').trim() === 'sleep' ? now : undefined;
      } catch {
        return undefined;
      }
    });
    const after = snap(scope);
    const changes = diffSnapshots(before, after);
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'process.exited', pid: first }));
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'process.appeared', pid: second, to: 'sleep' }));
  });
});

describe('diffSnapshots on System V objects (whole-machine snapshots, filtered to our ids)', () => {
  const wholeMachine = (): Snapshot => takeSnapshot({ all: true }, { peekBytes: 0, readMaps: true, readSignals: false });

  it('a message sent shows as messages 0 -> 1 and bytes 0 -> 5', () => {
    const msqid = sysv.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
    expect(msqid).toBeGreaterThanOrEqual(0);
    try {
      const id = `msg:${msqid}`;
      const before = wholeMachine();
      const text = Buffer.from('hello');
      expect(sysv.msgsnd(msqid, encodeMsgbuf(1, text), text.length, IPC_NOWAIT)).toBe(0);
      const changes = diffSnapshots(before, wholeMachine()).filter((c) => c.object === id);
      expect(changes).toContainEqual(expect.objectContaining({ kind: 'object.messages', from: 0, to: 1 }));
      expect(changes).toContainEqual(expect.objectContaining({ kind: 'object.bytes', from: 0, to: 5 }));
    } finally {
      sysv.msgctl(msqid, IPC_RMID, null);
    }
  });

  it('attaching a segment shows as nattch 0 -> 1 with this process attached, detaching as 1 -> 0', () => {
    const shmid = sysv.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600);
    expect(shmid).toBeGreaterThanOrEqual(0);
    let address: bigint | null = null;
    try {
      const id = `shm:${shmid}`;
      const before = wholeMachine();
      address = sysv.shmat(shmid, null, 0);
      const attached = wholeMachine();
      const changes = diffSnapshots(before, attached).filter((c) => c.object === id);
      expect(changes).toContainEqual(expect.objectContaining({ kind: 'object.nattch', from: 0, to: 1 }));
      expect(changes).toContainEqual(expect.objectContaining({ kind: 'object.attached', from: [], to: [process.pid] }));
      expect(sysv.shmdt(address)).toBe(0);
      address = null;
      const detached = diffSnapshots(attached, wholeMachine()).filter((c) => c.object === id);
      expect(detached).toContainEqual(expect.objectContaining({ kind: 'object.nattch', from: 1, to: 0 }));
    } finally {
      if (address !== null) sysv.shmdt(address);
      sysv.shmctl(shmid, IPC_RMID, null);
    }
  });
});
