import { describe, expect, it } from 'vitest';
import { applyFrameDelta, deltaItems, encodeFrameDelta, FrameDeltaMismatch, sameValue } from './frame-delta';
import type { FrameDelta } from './frame-delta';
import type { Frame, LessonView, SyscallEvent } from './frame-types';
import type { IpcObject, ProcessInfo } from './snapshot-types';
import { keepsPoolFrame } from './testing/keeps-pool-frame';
import { wireFrame } from './wire-frame';

/** What a receiver rebuilds from the delta, after the delta went through JSON (as on the WebSocket). */
function roundTrip(base: Frame, next: Frame): { rebuilt: Frame; delta: FrameDelta } {
  const delta = JSON.parse(JSON.stringify(encodeFrameDelta(base, next))) as FrameDelta;
  const received = JSON.parse(JSON.stringify(base)) as Frame;
  return { rebuilt: applyFrameDelta(received, delta), delta };
}

/** As the receiver sees a full frame. */
const asJson = (frame: Frame): unknown => JSON.parse(JSON.stringify(frame));

function event(seq: number): SyscallEvent {
  return { seq, time: 0, pid: 1, role: 'parent', step: 0, syscall: 'write', phase: 'return', fd: 4, bytes: 12, result: 12, errno: null, data: null, text: `#${seq}` };
}

/** The next tick of `frame`: a new seq, the same lists (the Sampler's unchanged descriptions). */
function tick(frame: Frame, change: Partial<Frame> = {}): Frame {
  return { ...frame, seq: frame.seq + 1, takenAt: frame.takenAt + 100, events: [], ...change };
}

const sleeping = (p: ProcessInfo): ProcessInfo => ({ ...p, state: 'S', blocked: { op: 'read', syscall: 'read', syscallNr: 0, fd: 0, wchan: 'anon_pipe_read', object: null } });

describe('frame delta', () => {
  const base = keepsPoolFrame(30);

  it('an unchanged tick carries no process and no object, and rebuilds the next frame', () => {
    const next = tick(base);
    const { rebuilt, delta } = roundTrip(base, next);
    expect(rebuilt).toEqual(asJson(next));
    expect(deltaItems(delta)).toBe(0);
    expect(delta.processes.runs).toEqual([0, base.processes.length]);
  });

  it('carries only the changed processes and objects', () => {
    const processes = base.processes.map((p, i) => (i === 7 ? { ...p, state: 'R' as const, blocked: null } : p));
    const objects = base.objects.map((o, i) => (i === 3 ? { ...o, queued: 12 } : o));
    const next = tick(base, { processes, objects });
    const { rebuilt, delta } = roundTrip(base, next);
    expect(rebuilt).toEqual(asJson(next));
    expect(delta.processes.items).toEqual([]);
    expect(delta.processes.patches).toEqual([{ at: 7, set: { state: 'R', blocked: null } }]);
    expect(delta.objects.patches).toEqual([{ at: 3, set: { queued: 12 } }]);
    expect(deltaItems(delta)).toBe(2);
  });

  it('a field added or dropped (a process read again, or no longer shown as last read) is a patch', () => {
    const read = base.processes.map((p, i) => (i % 10 === 0 ? { ...p, checkedAt: 1234 } : p));
    const first = tick(base, { processes: read });
    const { rebuilt, delta } = roundTrip(base, first);
    expect(rebuilt).toEqual(asJson(first));
    expect(delta.processes.patches?.map((p) => p.at)).toEqual([0, 10, 20, 30]);
    const again = tick(first, { processes: base.processes });
    const back = roundTrip(first, again);
    expect(back.rebuilt).toEqual(asJson(again));
    expect(back.delta.processes.patches?.[0]).toEqual({ at: 0, set: {}, unset: ['checkedAt'] });
  });

  it('processes and objects added, removed and reordered', () => {
    const added: ProcessInfo = { pid: 5000, ppid: 100, comm: 'cat', state: 'S', blocked: null, fds: [], readable: true };
    const addedObject: IpcObject = { id: 'pipe:9', kind: 'pipe', inode: 9, capacity: 65536, queued: 0, readers: 1, writers: 1, holders: [{ pid: 5000, fd: 0, access: 'r' }] };
    const processes = [added, ...base.processes.slice(10, 20), ...base.processes.slice(0, 5), sleeping(base.processes[25]!), ...base.processes.slice(26)];
    const objects = [...base.objects.slice(5).reverse(), addedObject];
    const next = tick(base, { processes, objects });
    const { rebuilt, delta } = roundTrip(base, next);
    expect(rebuilt).toEqual(asJson(next));
    expect(delta.processes.items.map((p) => p.pid)).toEqual([5000]);
    expect(delta.processes.patches?.map((p) => p.at)).toEqual([25]);
    expect(delta.objects.items.map((o) => o.id)).toEqual(['pipe:9']);
  });

  it('everything removed, and everything new', () => {
    const empty = tick(base, { processes: [], objects: [] });
    expect(roundTrip(base, empty).rebuilt).toEqual(asJson(empty));
    const fresh = tick(empty, { processes: keepsPoolFrame(4).processes, objects: keepsPoolFrame(4).objects });
    expect(roundTrip(empty, fresh).rebuilt).toEqual(asJson(fresh));
  });

  it('a rebuilt item equal in value to the base one is not carried (no identity to rely on)', () => {
    const copied = JSON.parse(JSON.stringify(base)) as Frame;
    const next = tick(copied);
    const { rebuilt, delta } = roundTrip(base, next);
    expect(rebuilt).toEqual(asJson(next));
    expect(deltaItems(delta)).toBe(0);
  });

  it('events are always carried, even when they look like the base ones', () => {
    const withEvents = { ...base, events: [event(1), event(2)] };
    const next = tick(withEvents, { events: [event(1), event(2)] });
    const { rebuilt, delta } = roundTrip(withEvents, next);
    expect(delta.frame.fields.events).toHaveLength(2);
    expect(rebuilt.events).toEqual([event(1), event(2)]);
    const none = tick(next, { events: [] });
    expect(roundTrip(next, none).rebuilt.events).toEqual([]);
  });

  it('top-level fields added, changed and removed', () => {
    const observing: Frame = { ...base, observing: { all: true }, traffic: [], diagnoses: [], cadence: { coldAfterMs: 2000, recheckMs: 1000 } };
    const next = tick(observing, { observing: null, rateHz: 30 });
    delete (next as Partial<Frame>).traffic;
    delete (next as Partial<Frame>).cadence;
    const { rebuilt, delta } = roundTrip(observing, next);
    expect(rebuilt).toEqual(asJson(next));
    expect('traffic' in rebuilt).toBe(false);
    expect(delta.frame.same).toContain('diagnoses');
  });

  it('a lesson is carried field by field: its programs are not sent again', () => {
    const lesson: LessonView = {
      id: 'pipe', title: { en: 'Pipe', 'zh-Hans': '管道', 'zh-Hant': '管道' }, summary: { en: 's', 'zh-Hans': 's', 'zh-Hant': 's' },
      steps: [], next: 0, playing: false, speed: 1, finished: false, roles: { parent: 100 }, idleRoles: [], objects: [], error: null,
      params: {}, programs: [{ file: 'pipe.c', roles: ['parent'], source: { en: 'int main(){}', 'zh-Hans': 'int main(){}', 'zh-Hant': 'int main(){}' } }],
      claims: [], questionsOn: true, replayed: null,
    };
    const withLesson = { ...base, lesson };
    const next = tick(withLesson, { lesson: { ...lesson, next: 1, playing: true } });
    const { rebuilt, delta } = roundTrip(withLesson, next);
    expect(rebuilt).toEqual(asJson(next));
    expect(delta.lesson?.same).toContain('programs');
    expect(Object.keys(delta.lesson?.fields ?? {}).sort()).toEqual(['next', 'playing']);
    const ended = tick(next, { lesson: null });
    expect(roundTrip(next, ended).rebuilt).toEqual(asJson(ended));
    expect(roundTrip(ended, tick(ended, { lesson })).rebuilt).toEqual(asJson({ ...tick(ended), lesson }));
  });

  it('wire frames of a big pool keep their cuts from tick to tick: a delta of an idle pool is empty', () => {
    const full = keepsPoolFrame(300);
    const first = wireFrame(full);
    const second = wireFrame(tick(full));
    const { rebuilt, delta } = roundTrip(first, second);
    expect(rebuilt).toEqual(asJson(second));
    expect(deltaItems(delta)).toBe(0);
    expect(JSON.stringify(delta).length).toBeLessThan(JSON.stringify(second).length / 100);
  });

  it('refuses a delta made against another frame, or one that does not fit', () => {
    const next = tick(base);
    const delta = encodeFrameDelta(base, next);
    expect(() => applyFrameDelta(next, delta)).toThrow(FrameDeltaMismatch);
    const shorter = { ...base, processes: base.processes.slice(0, 3) };
    expect(() => applyFrameDelta(shorter, delta)).toThrow(/copies past/);
    expect(() => applyFrameDelta(base, { ...delta, objects: { runs: [-1, 2], items: [] } })).toThrow(/more items/);
    expect(() => applyFrameDelta(base, { ...delta, objects: { runs: [-2, 1], items: [], patches: [{ at: 999, set: {} }] } })).toThrow(/patches an item past/);
    expect(() => applyFrameDelta({ ...base, lesson: null }, { ...delta, lesson: { same: [], fields: {} } })).toThrow(/no lesson/);
  });
});

describe('sameValue', () => {
  it('compares as JSON carries values: undefined fields are absent, key order does not matter', () => {
    expect(sameValue({ a: 1, b: undefined, c: [1, { d: 2 }] }, { c: [1, { d: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue({ a: null }, { a: {} })).toBe(false);
    expect(sameValue([], {})).toBe(false);
  });
});
