/**
 * How long a diagnosis has held is measured in the kernel's time, not in
 * samples: on a loaded machine one sample can take seconds (11.7 s seen in
 * review), and a deadlock then needs confirming within that sample rather
 * than two samples later. Real python3 processes; a slow sample is a real
 * one whose diagnose pass comes after the confirm time has passed (the
 * clocks read as a Sampler's scan reads them, then the sample, then the wait),
 * and a slow rate is real samples taken far apart.
 */
import { describe, expect, it } from 'vitest';
import { processCpuNs } from '../libc/cpu-clock';
import { pipeIdOf, pollFor, python3MissingReason, PythonSituation } from '../diagnose/testing/python-situation';
import { startTwoPipeDeadlock } from '../diagnose/testing/two-pipe-deadlock';
import { diagnose } from '../diagnose/index';
import { Sampler, WATCH_SAMPLER_OPTIONS } from './sampler';
import { DiagnosisTracker, timesRunOf, type CounterReading } from './sampler-diagnoses';
import { killedAfterEach } from '../diagnose/testing/killed-after-each';

const skip = python3MissingReason();
const { situations, samplers } = killedAfterEach();

const CONFIRM = 800;

function sampler(diagnoseFrames: boolean): Sampler {
  const made = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readMaps: false, readSignals: false, diagnose: diagnoseFrames ? { confirmMs: CONFIRM } : false });
  samplers.push(made);
  return made;
}

/** Each process's CPU clock now, as a Sampler's scan reads it (the time taken after the read). */
function scanClocks(pids: number[]): Map<number, CounterReading> {
  return new Map(pids.map((pid) => [pid, { value: processCpuNs(pid)!, at: Date.now() }]));
}

/** Resolves once `ms` have passed since `since` (what a slow sample's diagnose pass waits for). */
const passed = (since: number, ms: number) => pollFor(`${ms} ms since ${since}`, () => (Date.now() - since >= ms ? true : undefined));

async function deadlockedPair(): Promise<{ s: PythonSituation; pids: number[]; objects: string[] }> {
  const { situation, pids, objects } = await startTwoPipeDeadlock((started) => situations.push(started));
  return { s: situation, pids, objects };
}

describe.skipIf(skip !== null)('confirming in the kernel time', () => {
  it('one slow sample is itself the span: the deadlock is published at its first pass', async () => {
    const { s, pids, objects } = await deadlockedPair();
    const clocks = scanClocks(pids);
    const snapshot = sampler(false).sample({ pids: [s.pid], tree: true });
    expect(diagnose(snapshot).map((d) => d.kind)).toEqual(['deadlock']);
    await passed(Math.max(...[...clocks.values()].map((c) => c.at)), CONFIRM);
    const frame = new DiagnosisTracker({ confirmMs: CONFIRM }).attach(snapshot, clocks);
    expect(frame.diagnosesPending).toEqual([]);
    expect(frame.diagnoses).toHaveLength(1);
    const [found] = frame.diagnoses!;
    expect([...found!.objects].sort()).toEqual(objects);
    /* held from the scan, through the pass: the clocks did not move, and the kernel still shows both asleep */
    expect(found!.since).toBe(Math.max(...[...clocks.values()].map((c) => c.at)));
    expect(frame.diagnosedAt! - found!.since!).toBeGreaterThanOrEqual(CONFIRM);
    for (const pid of pids) expect(processCpuNs(pid)).toBe(clocks.get(pid)!.value);
    /* without the scan's clocks the pass can only start measuring now */
    const blind = new DiagnosisTracker({ confirmMs: CONFIRM }).attach(snapshot);
    expect(blind.diagnoses).toEqual([]);
    expect(blind.diagnosesPending).toEqual([expect.objectContaining({ kind: 'deadlock', heldMs: 0, confirmMs: CONFIRM })]);
  });

  it('a reader that ran during the slow sample is only pending', async () => {
    /* SIGALRM every 50 ms: read() is interrupted and retried (PEP 475), so it runs and sleeps in read again */
    const s = new PythonSituation(`
import os, signal
r, w = os.pipe()
signal.signal(signal.SIGALRM, lambda *a: None)
signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)
say("reader", os.getpid(), r)
os.read(r, 1)
`);
    situations.push(s);
    const [reader, r] = await s.numbers('reader');
    const watch = sampler(false);
    /* a sample that catches it asleep: one instant alone looks like never-EOF */
    const { clocks, snapshot } = await pollFor('a sample of the reader asleep in read', () => {
      const read = scanClocks([reader!]);
      const taken = watch.sample({ pids: [s.pid], tree: true });
      return diagnose(taken).some((d) => d.kind === 'never-eof') ? { clocks: read, snapshot: taken } : undefined;
    });
    const runs = timesRunOf(reader!)!;
    await pollFor('the reader to have run again', () => (timesRunOf(reader!)! > runs ? true : undefined));
    await passed(clocks.get(reader!)!.at, CONFIRM);
    const frame = new DiagnosisTracker({ confirmMs: CONFIRM }).attach(snapshot, clocks);
    expect(frame.diagnoses).toEqual([]);
    expect(frame.diagnosesPending).toEqual([expect.objectContaining({ kind: 'never-eof', objects: [pipeIdOf(reader!, r!)] })]);
    expect(frame.diagnosesPending![0]!.heldMs).toBeLessThan(CONFIRM);
  });

  it('samples far apart: published at the first sample after the confirm time, held since the first one', async () => {
    const { s } = await deadlockedPair();
    const watch = sampler(true);
    const first = watch.sample({ pids: [s.pid], tree: true });
    const published = first.diagnoses!.length > 0 ? first : await passed(first.diagnosedAt!, CONFIRM).then(() => watch.sample({ pids: [s.pid], tree: true }));
    expect(published.diagnoses!.map((d) => d.kind)).toEqual(['deadlock']);
    /* measured from the first sample's scan, not restarted by the pass that published it */
    expect(published.diagnoses![0]!.since).toBeLessThanOrEqual(first.diagnosedAt!);
    if (published !== first) expect(first.diagnosesPending!.map((d) => d.kind)).toEqual(['deadlock']);
  });
});
