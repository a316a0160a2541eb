/**
 * A pipe's ends held where no descriptor table lists them, on real python3
 * processes. The kernel counts an end sent with SCM_RIGHTS and closed (in
 * flight in a socket's queue) as open: the same state as an end held by a
 * process of a parent PID namespace (a sandbox's pipes seen with --all).
 * `writers` counts the listed holders (0); `hiddenWriters` says what the
 * kernel says (poll: no POLLHUP on the read end), and turns false once the
 * socket holding the end is closed, though the listed reader never ran.
 */
import { describe, expect, it } from 'vitest';
import { keyNumbers } from '../../../cli/describe';
import { asleepIn, pipeIdOf, pollFor, python3MissingReason, PythonSituation } from '../../../diagnose/testing/python-situation';
import type { PipeObject, Snapshot } from '../../../model/snapshot-types';
import { timesRunOf } from '../../asleep-since';
import { Sampler, takeSnapshot, WATCH_SAMPLER_OPTIONS } from '../../sampler';
import type { Scope } from '../../sampler-options';
import { killedAfterEach } from '../../../diagnose/testing/killed-after-each';

const skip = python3MissingReason();
const { situations, samplers } = killedAfterEach();

/* P1: the write end only in flight; P2: no write end anywhere; P3: the read end only in flight; P4: no read end anywhere */
const SITUATION = `
import os, socket, signal, time
a, b = socket.socketpair()
r1, w1 = os.pipe()
r2, w2 = os.pipe()
r3, w3 = os.pipe()
r4, w4 = os.pipe()
socket.send_fds(a, [b"w"], [w1])
socket.send_fds(a, [b"r"], [r3])
os.close(w1); os.close(w2); os.close(r3); os.close(r4)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
if os.fork() == 0:
    a.close(); b.close()
    say("holder", os.getpid(), r1, r2, w3, w4)
    time.sleep(1000); os._exit(0)
os.close(r1); os.close(r2); os.close(w3); os.close(w4)
say("sender", os.getpid())
signal.sigwait([signal.SIGUSR1])
# the socket's queue goes, and with it the only ends of P1 and P3
a.close(); b.close()
say("closed")
time.sleep(1000)
`;

const pipeIn = (snapshot: Snapshot, id: string): PipeObject => {
  const object = snapshot.objects.find((o) => o.id === id);
  if (!object || object.kind !== 'pipe') throw new Error(`${id} not in the snapshot`);
  return object;
};

/** The four pipes' ends as a snapshot reports them. */
function ends(snapshot: Snapshot, ids: string[]): Array<Pick<PipeObject, 'readers' | 'writers' | 'hiddenReaders' | 'hiddenWriters'>> {
  return ids.map((id) => {
    const { readers, writers, hiddenReaders, hiddenWriters } = pipeIn(snapshot, id);
    return { readers, writers, hiddenReaders, hiddenWriters };
  });
}

const BEFORE = [
  { readers: 1, writers: 0, hiddenReaders: undefined, hiddenWriters: true },
  { readers: 1, writers: 0, hiddenReaders: undefined, hiddenWriters: false },
  { readers: 0, writers: 1, hiddenReaders: true, hiddenWriters: undefined },
  { readers: 0, writers: 1, hiddenReaders: false, hiddenWriters: undefined },
];

async function start(): Promise<{ s: PythonSituation; holder: number; sender: number; ids: string[] }> {
  const s = new PythonSituation(SITUATION);
  situations.push(s);
  const [holder, r1, r2, w3, w4] = await s.numbers('holder');
  const [sender] = await s.numbers('sender');
  await asleepIn(holder!, 'hrtimer_nanosleep');
  const ids = [r1!, r2!, w3!, w4!].map((fd) => pipeIdOf(holder!, fd));
  return { s, holder: holder!, sender: sender!, ids };
}

describe.skipIf(skip !== null)('pipe ends no listed holder has', () => {
  it('a snapshot counts the listed holders and says what the kernel says of the others, in a scope and on the whole machine', async () => {
    const { holder, ids } = await start();
    for (const scope of [{ pids: [holder], tree: false }, { all: true }] as Scope[]) {
      const snapshot = takeSnapshot(scope, { peekBytes: 0, readMaps: false, readSignals: false });
      /* no listed holder but the one process: the other ends are in the socket's queue */
      for (const id of ids) expect(pipeIn(snapshot, id).holders.map((h) => h.pid)).toEqual([holder]);
      expect(ends(snapshot, ids)).toEqual(BEFORE);
      /* the table never prints a bare 0 while the kernel has the end open */
      expect(ids.map((id) => Object.fromEntries(keyNumbers(pipeIn(snapshot, id))))).toMatchObject([
        { readers: '1', writers: '0+' },
        { readers: '1', writers: '0' },
        { readers: '0+', writers: '1' },
        { readers: '0', writers: '1' },
      ]);
    }
  });

  it('a watch sees the hidden ends go though the listed holder never runs', async () => {
    const { s, holder, sender, ids } = await start();
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readMaps: false, readSignals: false, diagnose: false });
    samplers.push(sampler);
    const scope: Scope = { all: true };
    const first = sampler.sample(scope);
    expect(ends(first, ids)).toEqual(BEFORE);
    // on the whole machine a pipe with an end beyond the listed holders says when it was read; the others are read whenever a holder runs
    expect(pipeIn(first, ids[0]!).checkedAt).toBe(first.takenAt);
    expect(pipeIn(first, ids[2]!).checkedAt).toBe(first.takenAt);
    expect(pipeIn(first, ids[1]!).checkedAt).toBeUndefined();
    const second = sampler.sample(scope);
    expect(ends(second, ids)).toEqual(BEFORE);
    expect(pipeIn(second, ids[0]!).checkedAt).toBeLessThanOrEqual(second.takenAt);
    const runs = timesRunOf(holder);
    process.kill(sender, 'SIGUSR1');
    await s.numbers('closed');
    const after = await pollFor('hiddenWriters false on P1', () => {
      const snapshot = sampler.sample(scope);
      return pipeIn(snapshot, ids[0]!).hiddenWriters === false ? snapshot : undefined;
    }, 10_000);
    expect(ends(after, ids)).toEqual([
      { readers: 1, writers: 0, hiddenReaders: undefined, hiddenWriters: false },
      BEFORE[1],
      { readers: 0, writers: 1, hiddenReaders: false, hiddenWriters: undefined },
      BEFORE[3],
    ]);
    /* the kernel: the listed reader did not run meanwhile */
    expect(timesRunOf(holder)).toBe(runs);
  });
});
