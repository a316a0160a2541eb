/**
 * The rules of kind-cadence.ts on hand-made sample contexts: which processes
 * ran is the Sampler's reading of their CPU clocks, given here as the idle set.
 */
import { describe, expect, it } from 'vitest';
import { KindCadence } from './kind-cadence';
import type { KindProbe, KindProbeResult, ProbeContext, ScannedProcess } from './probe-types';
import { DEFAULT_PROBE_OPTIONS } from './probe-types';

const SELF = 100;
const socketProbe: KindProbe = { name: 'sockets', changedThrough: (t) => t.startsWith('socket:['), collect: () => result() };
const lockProbe: KindProbe = { name: 'locks', changedThrough: 'any process', collect: () => result() };
const plainProbe: KindProbe = { name: 'plain', collect: () => result() };

function result(): KindProbeResult {
  return { objects: [{ id: 'unix:1', kind: 'unix', inode: 1, type: 'stream', state: 'ESTAB', peer: null, queued: 0, holders: [] }], targets: new Map() };
}

function proc(pid: number, targets: string[]): ScannedProcess {
  const fds = targets.map((target, fd) => ({ fd, target, inode: null, access: 'rw' as const }));
  return { pid, ppid: 1, comm: 'x', state: 'S', uid: 0, wchan: '', syscallNr: -1, syscallArgs: [], fds, maps: null, signals: null, readable: true };
}

function context(index: ProbeContext['holdersByTarget'], idle: number[]): ProbeContext {
  const processes = new Map([SELF, 200, 300].map((pid) => [pid, proc(pid, pid === 200 ? ['socket:[1]'] : ['pipe:[9]'])]));
  return { processes, holdersByTarget: index, options: DEFAULT_PROBE_OPTIONS, wholeMachine: true, claimed: new Set(), idle: new Set(idle) };
}

describe('kind cadence: when a kernel-wide source is read again', () => {
  const index = new Map();
  it('stands while only this engine ran, and the objects say when they were read', () => {
    const kinds = new KindCadence(1000, SELF);
    const first = result();
    kinds.record(socketProbe, context(index, []), 5000, first);
    expect(first.objects[0]!.checkedAt).toBe(5000);
    const ctx = context(index, [200, 300]);
    kinds.begin(ctx);
    expect(kinds.reusable(socketProbe, ctx, 5100)).toBe(first);
    expect(kinds.reusable(lockProbe, ctx, 5100)).toBeNull(); // never recorded
  });

  it('is read again when a process holding what it reaches ran, not when another did', () => {
    const kinds = new KindCadence(1000, SELF);
    const first = result();
    kinds.record(socketProbe, context(index, []), 5000, first);
    kinds.record(lockProbe, context(index, []), 5000, result());
    const pipeHolderRan = context(index, [200]);
    kinds.begin(pipeHolderRan);
    expect(kinds.reusable(socketProbe, pipeHolderRan, 5100)).toBe(first);
    expect(kinds.reusable(lockProbe, pipeHolderRan, 5100)).toBeNull();
    const socketHolderRan = context(index, [300]);
    kinds.begin(socketHolderRan);
    expect(kinds.reusable(socketProbe, socketHolderRan, 5100)).toBeNull();
  });

  it('is read again when a descriptor table changed, after the re-check period, after forget(), and always for a probe that says nothing', () => {
    const kinds = new KindCadence(1000, SELF);
    kinds.record(socketProbe, context(index, []), 5000, result());
    kinds.record(plainProbe, context(index, []), 5000, result());
    const quiet = context(index, [200, 300]);
    kinds.begin(quiet);
    expect(kinds.reusable(plainProbe, quiet, 5100)).toBeNull();
    expect(kinds.reusable(socketProbe, quiet, 5999)).not.toBeNull();
    expect(kinds.reusable(socketProbe, quiet, 6000)).toBeNull();
    const newIndex = context(new Map(), [200, 300]);
    kinds.begin(newIndex);
    expect(kinds.reusable(socketProbe, newIndex, 5100)).toBeNull();
    kinds.forget();
    kinds.begin(quiet);
    expect(kinds.reusable(socketProbe, quiet, 5100)).toBeNull();
  });
});
