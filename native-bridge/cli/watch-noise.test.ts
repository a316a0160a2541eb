/**
 * What is not worth a line, on real states: a process flipping between
 * running and sleeping; a pipe that only left the watched processes (its
 * other end still held outside) is not "removed"; an shm segment's zero tail
 * is counted, not spelled out as \x00 after \x00. A process blocking on, or
 * leaving, an object still is worth a line.
 */
import { readFileSync } from 'node:fs';
import koffi from 'koffi';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import { makePipe, native } from '../libc/libc';
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, sysv } from '../libc/sysv';
import type { Snapshot } from '../model/snapshot-types';
import { takeSnapshot, type Scope } from '../probe/index';
import { ChildSet, pipeInode, runCli, wchanOf } from './cli-test-support';
import { diffSnapshots } from './snapshot-diff';
import { waitFor } from './wait-for';

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

describe('watch noise', () => {
  it('a process seen running, then sleeping, gives no line', async () => {
    /* busy for 5 ms, asleep for 5 ms, over and over */
    const flipper = children.spawn('sh', ['-c', 'while :; do i=0; while [ $i -lt 300 ]; do i=$((i+1)); done; sleep 0.005; done'], 'ignore');
    const scope = { pids: [flipper.pid] };
    const seen = new Map<string, Snapshot>();
    await waitFor(
      'snapshots of the shell running and sleeping',
      () => {
        const snapshot = snap(scope);
        const state = snapshot.processes[0]?.state;
        if (state === 'R' || state === 'S') seen.set(state, snapshot);
        return seen.size === 2;
      },
      20_000,
      1,
    );
    const running = seen.get('R')!;
    const sleeping = seen.get('S')!;
    expect(running.processes[0]?.blocked).toBeNull();
    const noisy = (changes: ReturnType<typeof diffSnapshots>): unknown[] =>
      changes.filter((c) => c.pid === flipper.pid && (c.kind === 'process.state' || c.kind === 'process.blocked'));
    expect(noisy(diffSnapshots(running, sleeping))).toEqual([]);
    expect(noisy(diffSnapshots(sleeping, running))).toEqual([]);
  });

  it('a shell leaving its read on a pipe is a line; the pipe whose writer is outside the scope only left it', async () => {
    const [readEnd, writeEnd] = makePipe();
    children.own(readEnd, writeEnd);
    /* reads a line from the pipe, closes it, then waits for its sleep */
    const shell = children.spawn('sh', ['-c', 'read x; exec 0<&-; sleep 300'], [readEnd, 'ignore', 'ignore']);
    children.close(readEnd);
    await waitFor('the shell to block reading the pipe', () => wchanOf(shell.pid) === 'anon_pipe_read');
    const id = `pipe:${pipeInode(shell.pid, 0)}`;
    const scope = { pids: [shell.pid] };
    const before = snap(scope);
    expect(before.objects.find((o) => o.id === id)?.holders).toContainEqual({ pid: process.pid, fd: writeEnd, access: 'w' });
    const line = Buffer.from('go\n');
    expect(native.write(writeEnd, line, line.length)).toBe(line.length);
    await waitFor('the shell to wait for its sleep', () => wchanOf(shell.pid) === 'do_wait');
    const changes = diffSnapshots(before, snap(scope));
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'process.blocked', pid: shell.pid, to: null, object: id }));
    const gone = changes.filter((c) => c.object === id && c.kind.startsWith('object.'));
    expect(gone).toEqual([expect.objectContaining({ kind: 'object.left' })]);
    expect(gone[0]?.text).toBe(`${id} no longer held by a watched process (pid ${process.pid} held it too at the last sample)`);
  });

  it('a stop is still a line (S -> T), the sleep it was in is not', async () => {
    const sleeper = children.spawn('sleep', ['300'], 'ignore');
    await waitFor('sleep to sleep', () => wchanOf(sleeper.pid) === 'hrtimer_nanosleep');
    const before = snap({ pids: [sleeper.pid] });
    process.kill(sleeper.pid, 'SIGSTOP');
    await waitFor('the kernel to show it stopped', () => stateOf(sleeper.pid) === 'T');
    const changes = diffSnapshots(before, snap({ pids: [sleeper.pid] }));
    expect(changes.map((c) => c.kind)).toEqual(['process.state']);
    expect(changes[0]).toMatchObject({ from: 'S', to: 'T' });
  });

  it('snapshot table: an shm segment holding "hello" shows its zero tail as a count', async () => {
    const shmid = sysv.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600);
    expect(shmid).toBeGreaterThanOrEqual(0);
    let address: bigint | null = null;
    try {
      address = sysv.shmat(shmid, null, 0);
      new Uint8Array(koffi.view(address, 5)).set(Buffer.from('hello'));
      const result = await runCli(['snapshot', '--pid', `${process.pid}`]);
      expect(result.code).toBe(0);
      const row = result.stdout.split('\n').find((line) => line.trimStart().startsWith(`shm:${shmid} `));
      /* the peek is the segment's first --peek bytes (64 by default): "hello" and 59 zeros */
      expect(row, result.stdout).toMatch(/ "hello" \+ 59 zero bytes$/);
      expect(row).not.toContain('\\x00');
    } finally {
      if (address !== null) sysv.shmdt(address);
      sysv.shmctl(shmid, IPC_RMID, null);
    }
  });
});
