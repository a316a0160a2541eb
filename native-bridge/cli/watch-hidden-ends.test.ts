/**
 * Watch lines for a pipe's ends held where no listed holder shows them, on
 * real python3 processes. The sender hands its write end of P1 and its read
 * end of P2 to a socket (SCM_RIGHTS) and closes them: the listed count falls
 * to 0 while the kernel still counts the ends in flight open (no EOF, no
 * EPIPE yet). Closing the socket drops them: the kernel now says no end of
 * that kind is open anywhere, though the listed holder never ran.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { asleepIn, pipeIdOf, pollFor, python3MissingReason, PythonSituation } from '../diagnose/testing/python-situation';
import type { PipeObject, Snapshot } from '../model/snapshot-types';
import { takeSnapshot } from '../probe/index';
import { BIN, killAndReap } from './cli-test-support';
import { diffSnapshots, type Change } from './snapshot-diff';

const skip = python3MissingReason();
const situations: PythonSituation[] = [];
const watchers: ChildProcessByStdio<null, Readable, Readable>[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => killAndReap(w)));
  for (const s of situations.splice(0)) await s.kill();
});

/* each SIGUSR1 moves the sender one phase on: listed ends -> ends in flight -> no ends */
const SITUATION = `
import os, socket, signal, time
a, b = socket.socketpair()
r1, w1 = os.pipe()
r2, w2 = os.pipe()
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
if os.fork() == 0:
    a.close(); b.close(); os.close(w1); os.close(r2)
    say("holder", os.getpid(), r1, w2)
    time.sleep(1000); os._exit(0)
os.close(r1); os.close(w2)
say("sender", os.getpid())
signal.sigwait([signal.SIGUSR1])
socket.send_fds(a, [b"w"], [w1])
socket.send_fds(a, [b"r"], [r2])
os.close(w1); os.close(r2)
say("sent")
signal.sigwait([signal.SIGUSR1])
a.close(); b.close()
say("closed")
time.sleep(1000)
`;

interface Started {
  s: PythonSituation;
  holder: number;
  sender: number;
  p1: string;
  p2: string;
}

async function start(): Promise<Started> {
  const s = new PythonSituation(SITUATION);
  situations.push(s);
  const [holder, r1, w2] = await s.numbers('holder');
  const [sender] = await s.numbers('sender');
  await asleepIn(holder!, 'hrtimer_nanosleep');
  return { s, holder: holder!, sender: sender!, p1: pipeIdOf(holder!, r1!), p2: pipeIdOf(holder!, w2!) };
}

const snap = (pid: number): Snapshot => takeSnapshot({ pids: [pid] }, { peekBytes: 0, readMaps: false, readSignals: false });
const pipeIn = (snapshot: Snapshot, id: string): PipeObject => snapshot.objects.find((o): o is PipeObject => o.id === id && o.kind === 'pipe')!;
const about = (changes: Change[], id: string): Change[] => changes.filter((c) => c.object === id);

describe.skipIf(skip !== null)('watch: pipe ends in processes this view does not show', () => {
  it('the listed count falling to 0 says the kernel still has the end open; the end closing says EOF and EPIPE', async () => {
    const { s, holder, sender, p1, p2 } = await start();
    const listed = snap(holder);
    expect([pipeIn(listed, p1).writers, pipeIn(listed, p2).readers]).toEqual([1, 1]);

    process.kill(sender, 'SIGUSR1');
    await s.numbers('sent');
    const inFlight = await pollFor('the sender to be gone from the holders', () => {
      const now = snap(holder);
      return pipeIn(now, p1).writers === 0 && pipeIn(now, p2).readers === 0 ? now : undefined;
    });
    /* the kernel: poll on the holder's read end gives no POLLHUP, on its write end no POLLERR */
    expect([pipeIn(inFlight, p1).hiddenWriters, pipeIn(inFlight, p2).hiddenReaders]).toEqual([true, true]);
    const fell = diffSnapshots(listed, inFlight);
    expect(about(fell, p1)).toEqual([
      expect.objectContaining({ kind: 'object.writers', from: 1, to: 0, hidden: true, text: `${p1} writers 1 -> 0 (a write end is still open in a process this view does not show: no EOF yet)` }),
    ]);
    expect(about(fell, p2)).toEqual([
      expect.objectContaining({ kind: 'object.readers', from: 1, to: 0, hidden: true, text: `${p2} readers 1 -> 0 (a read end is still open in a process this view does not show: write() does not fail yet)` }),
    ]);

    process.kill(sender, 'SIGUSR1');
    await s.numbers('closed');
    const gone = await pollFor('the kernel to drop the ends in flight', () => {
      const now = snap(holder);
      return pipeIn(now, p1).hiddenWriters === false && pipeIn(now, p2).hiddenReaders === false ? now : undefined;
    });
    const closed = diffSnapshots(inFlight, gone);
    expect(about(closed, p1)).toEqual([
      expect.objectContaining({
        kind: 'object.hiddenWriters',
        from: true,
        to: false,
        text: `${p1}: the last write end open in a process this view does not show closed (poll on a read end: POLLHUP): a reader now sees EOF: read() returns 0 now`,
      }),
    ]);
    expect(about(closed, p2)).toEqual([
      expect.objectContaining({
        kind: 'object.hiddenReaders',
        from: true,
        to: false,
        text: `${p2}: the last read end open in a process this view does not show closed (poll on a write end: POLLERR): a writer now gets EPIPE and SIGPIPE`,
      }),
    ]);
    /* a snapshot taken again shows nothing more to tell */
    expect(about(diffSnapshots(gone, snap(holder)), p1)).toEqual([]);
  }, 60_000);

  it('ipcscope watch --json prints both moves, though the watched holder never runs', async () => {
    const { s, holder, sender, p1, p2 } = await start();
    const child = spawn(process.execPath, [BIN, 'watch', '--pid', `${holder}`, '--json', '--rate', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
    watchers.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await pollFor('watch to start', () => stderr.includes('watching') || undefined, 15_000);
    const changes = (): Change[] => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Change);

    process.kill(sender, 'SIGUSR1');
    await s.numbers('sent');
    await pollFor('the writers line', () => changes().find((c) => c.kind === 'object.writers' && c.object === p1 && c.to === 0), 15_000);
    process.kill(sender, 'SIGUSR1');
    await s.numbers('closed');
    const hiddenWriters = await pollFor('the hiddenWriters line', () => changes().find((c) => c.kind === 'object.hiddenWriters' && c.object === p1), 15_000);
    const hiddenReaders = await pollFor('the hiddenReaders line', () => changes().find((c) => c.kind === 'object.hiddenReaders' && c.object === p2), 15_000);
    expect(changes().find((c) => c.kind === 'object.writers' && c.object === p1)).toMatchObject({ from: 1, to: 0, hidden: true });
    expect(changes().find((c) => c.kind === 'object.readers' && c.object === p2)).toMatchObject({ from: 1, to: 0, hidden: true });
    expect(hiddenWriters).toMatchObject({ from: true, to: false });
    expect(hiddenWriters.text).toContain('a reader now sees EOF');
    expect(hiddenReaders).toMatchObject({ from: true, to: false });
    /* the holder slept through all of it */
    expect(changes().filter((c) => c.pid === holder)).toEqual([]);
  }, 60_000);
});
