/**
 * The attribution rules of observe-traffic.ts on hand-made snapshots (the
 * counting itself is proven on real processes in session-observe-traffic.test.ts):
 * one capable descriptor on an IPC object carries the bytes; two, a
 * non-IPC one, a changed descriptor, a smaller count (PID reused) or a
 * child reaped in between do not.
 */
import { describe, expect, it } from 'vitest';
import type { FdEntry, ProcessInfo, Snapshot } from '../model/snapshot-types';
import { trafficBetween } from './observe-traffic';

const PIPE = 'pipe:77';
const pipeFd = (fd: number, access: FdEntry['access']): FdEntry => ({ fd, object: PIPE, access, target: 'pipe:[77]' });
const fileFd = (fd: number, access: FdEntry['access']): FdEntry => ({ fd, object: 'file:/dev/null', access, target: '/dev/null' });

function proc(pid: number, fds: FdEntry[], wchar: number, syscw: number, ppid = 1): ProcessInfo {
  return { pid, ppid, comm: 'w', state: 'S', blocked: null, fds, readable: true, io: { rchar: 0, wchar, syscr: 0, syscw } };
}

function snap(takenAt: number, processes: ProcessInfo[]): Snapshot {
  return {
    takenAt,
    durationMs: 0,
    processes,
    objects: [{ id: PIPE, kind: 'pipe', inode: 77, capacity: 65536, queued: 0, readers: 1, writers: 1, holders: [] }],
    problems: [],
  };
}

describe('trafficBetween', () => {
  it('ties a write to the only writable descriptor when it is on an IPC object', () => {
    const entries = trafficBetween(snap(0, [proc(10, [pipeFd(1, 'w')], 100, 3)]), snap(100, [proc(10, [pipeFd(1, 'w')], 105, 4)]), true);
    expect(entries).toEqual([{ pid: 10, direction: 'write', bytes: 5, calls: 1, intervalMs: 100, via: 'descriptor', fd: 1, object: PIPE }]);
  });

  it('counts it for the whole process otherwise', () => {
    const cases: [ProcessInfo[], ProcessInfo[], boolean][] = [
      [[proc(10, [pipeFd(1, 'w'), fileFd(2, 'rw')], 100, 3)], [proc(10, [pipeFd(1, 'w'), fileFd(2, 'rw')], 105, 4)], true],
      [[proc(10, [fileFd(1, 'w')], 100, 3)], [proc(10, [fileFd(1, 'w')], 105, 4)], true],
      [[proc(10, [pipeFd(1, 'w')], 100, 3)], [proc(10, [pipeFd(4, 'w')], 105, 4)], true],
      [[proc(10, [pipeFd(1, 'w')], 100, 3)], [proc(10, [pipeFd(1, 'w')], 105, 4)], false],
      /* a child of 10 gone in between: its counts were added to 10's when reaped */
      [[proc(10, [pipeFd(1, 'w')], 100, 3), proc(11, [], 0, 0, 10)], [proc(10, [pipeFd(1, 'w')], 105, 4)], true],
    ];
    for (const [before, after, attribute] of cases) {
      const entries = trafficBetween(snap(0, before), snap(100, after), attribute);
      expect(entries).toEqual([{ pid: 10, direction: 'write', bytes: 5, calls: 1, intervalMs: 100, via: 'process' }]);
    }
  });

  it('reports nothing for counts that went down (another process got the PID) or did not move', () => {
    expect(trafficBetween(snap(0, [proc(10, [], 100, 3)]), snap(100, [proc(10, [], 50, 1)]), true)).toEqual([]);
    expect(trafficBetween(snap(0, [proc(10, [], 100, 3)]), snap(100, [proc(10, [], 100, 3)]), true)).toEqual([]);
  });
});
