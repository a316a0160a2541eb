/**
 * A full Unix backlog confirmed on one sample when a client sleeps in
 * connect() on it: unix_wait_for_peer sleeps only while the queue is full,
 * and an accept() would wake it, so the client's CPU clock standing still
 * from the scan to the pass proves the backlog stayed full. A full backlog
 * nobody sleeps on is still confirmed only by a later sample. Real python3
 * processes (listen(1), then connects).
 */
import { describe, expect, it } from 'vitest';
import { asleepIn, pollFor, python3MissingReason, PythonSituation } from '../diagnose/testing/python-situation';
import { diagnose } from '../diagnose/index';
import { processCpuNs } from '../libc/cpu-clock';
import { Sampler, WATCH_SAMPLER_OPTIONS } from './sampler';
import { DiagnosisTracker, type CounterReading } from './sampler-diagnoses';
import { backlogListener } from '../diagnose/testing/backlog-listener';
import { killedAfterEach } from '../diagnose/testing/killed-after-each';

const skip = python3MissingReason();
const { situations, samplers } = killedAfterEach();

const CONFIRM = 300;

function sampler(): Sampler {
  const made = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readMaps: false, readSignals: false, diagnose: false });
  samplers.push(made);
  return made;
}

/** Each process's CPU clock now, as a Sampler's scan reads it (the time taken after the read). */
function scanClocks(pids: number[]): Map<number, CounterReading> {
  return new Map(pids.map((pid) => [pid, { value: processCpuNs(pid)!, at: Date.now() }]));
}

const passed = (since: number, ms: number) => pollFor(`${ms} ms since ${since}`, () => (Date.now() - since >= ms ? true : undefined));

describe.skipIf(skip !== null)('confirming a full backlog', () => {
  it('a client asleep in connect() on it: published at the first pass', async () => {
    const s = new PythonSituation(backlogListener(1, 3));
    situations.push(s);
    const [listenerPid] = await s.numbers('listener');
    const [client] = await s.numbers('client');
    await s.numbers('connected 1');
    await asleepIn(client!, 'unix_wait_for_peer');
    await asleepIn(listenerPid!, 'hrtimer_nanosleep');
    const clocks = scanClocks([client!]);
    const snapshot = sampler().sample({ pids: [s.pid], tree: true });
    expect(diagnose(snapshot).map((d) => d.kind)).toEqual(['backlog-full']);
    await passed(clocks.get(client!)!.at, CONFIRM);
    const frame = new DiagnosisTracker({ confirmMs: CONFIRM }).attach(snapshot, clocks);
    expect(frame.diagnosesPending).toEqual([]);
    expect(frame.diagnoses).toEqual([expect.objectContaining({ kind: 'backlog-full', processes: [listenerPid, client], since: clocks.get(client!)!.at })]);
    /* the kernel: the client never ran, still asleep waiting for room */
    expect(processCpuNs(client!)).toBe(clocks.get(client!)!.value);
  });

  it('nobody asleep on it: pending at the first pass, published by a sample taken later', async () => {
    const s = new PythonSituation(backlogListener(1, 2));
    situations.push(s);
    const [client] = await s.numbers('client');
    await s.numbers('connected 1');
    await asleepIn(client!, 'hrtimer_nanosleep');
    const watch = sampler();
    const tracker = new DiagnosisTracker({ confirmMs: CONFIRM, everyMs: 0 });
    const first = watch.sample({ pids: [s.pid], tree: true });
    expect(diagnose(first).map((d) => d.kind)).toEqual(['backlog-full']);
    await passed(first.takenAt, CONFIRM);
    const firstFrame = tracker.attach(first, scanClocks([client!]));
    expect(firstFrame.diagnoses).toEqual([]);
    expect(firstFrame.diagnosesPending).toEqual([expect.objectContaining({ kind: 'backlog-full', heldMs: 0 })]);
    const later = tracker.attach(watch.sample({ pids: [s.pid], tree: true }));
    expect(later.diagnoses).toEqual([expect.objectContaining({ kind: 'backlog-full', since: first.takenAt })]);
  });
});
