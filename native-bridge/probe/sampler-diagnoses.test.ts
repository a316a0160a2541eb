/**
 * Diagnoses in a Sampler's frames, on real processes: a frame carries the
 * deadlock of two python3 processes each asleep reading the pipe only the
 * other writes, and the never-EOF of a reader holding its own write end;
 * only after the state has held (the first frames carry it as pending:
 * what is watched, since when, for how long it must hold). A healthy
 * pipeline (a reader asleep on a pipe whose writer sleeps in nanosleep)
 * carries neither over many frames; nor does a reader that keeps being woken
 * (a SIGALRM handler, which could close the write end) until the alarms stop.
 */
import { describe, expect, it } from 'vitest';
import { asleepIn, pipeIdOf, pollFor, python3MissingReason, PythonSituation } from '../diagnose/testing/python-situation';
import { startHealthyPipeline } from '../diagnose/testing/healthy-pipeline';
import { startTwoPipeDeadlock } from '../diagnose/testing/two-pipe-deadlock';
import { diagnose } from '../diagnose/index';
import type { Snapshot } from '../model/snapshot-types';
import { Sampler, WATCH_SAMPLER_OPTIONS } from './sampler';
import { CONFIRM_MS, timesRunOf } from './sampler-diagnoses';
import { killedAfterEach } from '../diagnose/testing/killed-after-each';

const skip = python3MissingReason();
const { situations, samplers } = killedAfterEach();

function watch(s: PythonSituation, confirmMs = CONFIRM_MS): () => Snapshot {
  const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readMaps: false, readSignals: false, diagnose: { confirmMs } });
  samplers.push(sampler);
  return () => sampler.sample({ pids: [s.pid], tree: true });
}

/** Samples every 25 ms (a 40 Hz watch) until a frame carries a diagnosis; returns it and the frames before. */
async function firstDiagnosedFrame(sample: () => Snapshot): Promise<{ frame: Snapshot; before: Snapshot[] }> {
  const before: Snapshot[] = [];
  const frame = await pollFor('a frame carrying a diagnosis', () => {
    const next = sample();
    if ((next.diagnoses ?? []).length > 0) return next;
    before.push(next);
    return undefined;
  });
  return { frame, before };
}

describe.skipIf(skip !== null)('Sampler frames carry diagnoses', () => {
  it('a deadlock of two readers: pending while it has held less than the confirm time, then published', async () => {
    const { situation: s, pids, objects } = await startTwoPipeDeadlock((started) => situations.push(started));
    const [a, b] = pids;
    /* a second: pending frames to see at 40 Hz even when the machine is loaded */
    const confirmMs = 1000;
    const { frame, before } = await firstDiagnosedFrame(watch(s, confirmMs));
    const first = before[0] ?? frame;
    /* the first sample is always diagnosed: its pass checks the kernel after the sample began */
    expect(first.diagnosedAt).toBeGreaterThanOrEqual(first.takenAt);
    // the first pass can prove at most from the first sample's scan: shorter than confirmMs, it must say "pending"
    if (first.diagnosedAt! - first.takenAt < confirmMs) expect(before.length).toBeGreaterThan(0);
    for (const pending of before) {
      expect(pending.diagnoses).toEqual([]);
      expect(pending.diagnosesPending).toHaveLength(1);
      const [watched] = pending.diagnosesPending!;
      expect(watched!.kind).toBe('deadlock');
      expect([...watched!.processes].sort()).toEqual([a, b].sort());
      expect([...watched!.objects].sort()).toEqual(objects);
      expect(watched!.confirmMs).toBe(confirmMs);
      expect(watched!.heldMs).toBeLessThan(confirmMs);
      expect(watched!.heldMs).toBe(Math.max(0, pending.diagnosedAt! - watched!.since));
    }
    /* measured from the sample's scan (the CPU clocks it read), not from the pass: held before the pass began */
    expect(first.diagnosesPending?.[0]?.since ?? first.diagnoses![0]!.since!).toBeLessThanOrEqual(first.diagnosedAt!);
    expect(frame.diagnosesPending).toEqual([]);
    expect(frame.diagnoses).toHaveLength(1);
    const [found] = frame.diagnoses!;
    expect(found!.kind).toBe('deadlock');
    expect([...found!.processes].sort()).toEqual([a, b].sort());
    expect([...found!.objects].sort()).toEqual(objects);
    expect(found!.facts.map((f) => f.fact)).toEqual(['ring-member', 'ring-member']);
    expect(frame.diagnosedAt! - found!.since!).toBeGreaterThanOrEqual(confirmMs);
    /* the kernel still shows both asleep reading */
    for (const pid of [a, b]) expect(frame.processes.find((p) => p.pid === pid)?.blocked?.wchan).toBe('anon_pipe_read');
  });

  it('a reader that holds its own write end: never-eof pointing at that descriptor', async () => {
    const s = new PythonSituation(`
import os
r, w = os.pipe()
say("reader", os.getpid(), r, w)
os.read(r, 1)
`);
    situations.push(s);
    const [reader, r, w] = await s.numbers('reader');
    await asleepIn(reader!, 'anon_pipe_read');
    const { frame } = await firstDiagnosedFrame(watch(s));
    const pipe = pipeIdOf(reader!, r!);
    expect(frame.diagnoses).toEqual([expect.objectContaining({ kind: 'never-eof', processes: [reader], objects: [pipe], descriptors: [{ pid: reader, fd: w, object: pipe }] })]);
    expect(frame.diagnoses![0]!.facts).toContainEqual({ fact: 'forgotten-write-end', process: { pid: reader, comm: 'python3' }, fd: w, object: pipe });
  });

  it('none for a healthy pipeline, over a second of frames', async () => {
    const { situation: s } = await startHealthyPipeline((started) => situations.push(started));
    const sample = watch(s);
    const started = Date.now();
    let frames = 0;
    while (Date.now() - started < 1500) {
      const frame = sample();
      frames++;
      expect(frame.diagnoses).toEqual([]);
      expect(frame.diagnosesPending).toEqual([]);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(frames).toBeGreaterThan(5);
  });

  it('a reader woken again and again (a signal handler could close the write end) is not diagnosed until it stays asleep', async () => {
    /* SIGALRM every 50 ms: read() is interrupted and retried (PEP 475), so each sample finds it asleep in read again; SIGUSR1 stops the alarms */
    const s = new PythonSituation(`
import os, signal
r, w = os.pipe()
signal.signal(signal.SIGALRM, lambda *a: None)
signal.signal(signal.SIGUSR1, lambda *a: signal.setitimer(signal.ITIMER_REAL, 0))
signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)
say("reader", os.getpid(), r)
os.read(r, 1)
`);
    situations.push(s);
    const [reader, r] = await s.numbers('reader');
    const pipe = pipeIdOf(reader!, r!);
    const sample = watch(s);
    const started = Date.now();
    let sightedAsleep = 0;
    while (Date.now() - started < 1500) {
      const frame = sample();
      /* one instant alone looks like never-EOF; the frames must not say so */
      if (diagnose(frame).some((d) => d.kind === 'never-eof')) sightedAsleep++;
      expect(frame.diagnoses).toEqual([]);
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(sightedAsleep).toBeGreaterThan(0);
    const runs = timesRunOf(reader!);
    process.kill(reader!, 'SIGUSR1');
    await pollFor('the reader to have run since the alarms stopped', () => (timesRunOf(reader!)! > runs! ? true : undefined));
    const { frame } = await firstDiagnosedFrame(sample);
    expect(frame.diagnoses).toEqual([expect.objectContaining({ kind: 'never-eof', objects: [pipe] })]);
  });
});
