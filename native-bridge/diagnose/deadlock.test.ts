/**
 * Deadlock on real processes: A reads pipe P1 (written only by B), B reads
 * pipe P2 (written only by A), both asleep in anon_pipe_read. And its absence
 * when B, holding P1's write end, is only sleeping (a timed wait it wakes from).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { asleepIn, diagnosesOf, pipeIdOf, python3MissingReason, PythonSituation } from './testing/python-situation';

const skip = python3MissingReason();
const situations: PythonSituation[] = [];
afterEach(async () => {
  for (const s of situations.splice(0)) await s.kill();
});

/* B (the child) either reads P2 or sleeps; A (the parent) reads P1 */
const twoPipes = (childWaits: string): string => `
import os, time
r1, w1 = os.pipe()
r2, w2 = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r1); os.close(w2)
    say("child", os.getpid(), r2, w1)
    ${childWaits}
    os._exit(0)
os.close(w1); os.close(r2)
say("parent", os.getpid(), r1, w2)
os.read(r1, 1)
`;

describe.skipIf(skip !== null)('deadlock', () => {
  it('names the ring of two processes each asleep reading the pipe only the other writes, with the evidence', async () => {
    const s = new PythonSituation(twoPipes('os.read(r2, 1)'));
    situations.push(s);
    const [a, r1, w2] = await s.numbers('parent');
    const [b, r2, w1] = await s.numbers('child');
    await asleepIn(a!, 'anon_pipe_read');
    await asleepIn(b!, 'anon_pipe_read');
    const p1 = pipeIdOf(a!, r1!);
    const p2 = pipeIdOf(b!, r2!);

    const snapshot = s.snapshot();
    const deadlocks = diagnosesOf(snapshot, 'deadlock');
    expect(deadlocks).toHaveLength(1);
    const d = deadlocks[0]!;
    expect([...d.processes].sort()).toEqual([a, b].sort());
    expect([...d.objects].sort()).toEqual([p1, p2].sort());
    /* who waits in which syscall on what, who holds the other end */
    expect(d.evidence).toContain(`pid ${a} (python3) is asleep in read(${r1}) on ${p1} (empty); only pid ${b} (python3) through fd ${w1} holds a write end, and is asleep too`);
    expect(d.evidence).toContain(`pid ${b} (python3) is asleep in read(${r2}) on ${p2} (empty); only pid ${a} (python3) through fd ${w2} holds a write end, and is asleep too`);
    /* the ring is not also reported as readers without EOF or stuck writers */
    expect(snapshot.diagnoses).toHaveLength(1);
  });

  it('finds none when the other writer is alive and only sleeping (it can still write)', async () => {
    const s = new PythonSituation(twoPipes('time.sleep(1000)'));
    situations.push(s);
    const [a] = await s.numbers('parent');
    const [b] = await s.numbers('child');
    await asleepIn(a!, 'anon_pipe_read');
    await asleepIn(b!, 'hrtimer_nanosleep');
    const snapshot = s.snapshot();
    /* the kernel shows A asleep reading: the state a false deadlock would be drawn from */
    expect(snapshot.processes.find((p) => p.pid === a)?.blocked?.wchan).toBe('anon_pipe_read');
    expect(snapshot.diagnoses).toEqual([]);
  });
});
