import { describe, expect, it } from 'vitest';
import type { Frame } from './frame-types';
import type { Holder, IpcObject, ProcessInfo } from './snapshot-types';
import { keepsPoolFrame } from './testing/keeps-pool-frame';
import { wireFrame } from './wire-frame';

const holderTotal = (o: IpcObject): number => o.holders.length + (o.holdersOmitted ?? []).reduce((n, c) => n + c.count, 0);
const fdTotal = (p: ProcessInfo): number => p.fds.length + (p.fdsOmitted ?? []).reduce((n, c) => n + c.count, 0);

describe('wireFrame', () => {
  it('leaves a frame with short lists as it is (the same object)', () => {
    const frame = keepsPoolFrame(5);
    expect(wireFrame(frame, { holders: 32, fds: 32 })).toBe(frame);
  });

  it('leaves a frame listing no more entries than the budget as it is, and cuts a bigger one', () => {
    /* 40 workers: 40 + 40·41/2 holders, as many descriptors: ~1700 in all */
    const small = keepsPoolFrame(40);
    expect(wireFrame(small)).toBe(small);
    expect(wireFrame(small, { holders: 16, fds: 12, budget: 1000 })).not.toBe(small);
    const big = keepsPoolFrame(100);
    expect(wireFrame(big).processes.at(-1)!.fdsTotal).toBe(100);
  });

  it('cuts long lists and counts what it left out: the totals are the full counts', () => {
    const full = keepsPoolFrame(200);
    const wired = wireFrame(full, { holders: 16, fds: 16 });
    for (const [i, o] of wired.objects.entries()) {
      const source = full.objects[i]!;
      expect(o.holders.length).toBeLessThanOrEqual(16);
      expect(holderTotal(o)).toBe(source.holders.length);
      if (source.holders.length > 16) expect(o.holdersTotal).toBe(source.holders.length);
      else expect(o).toBe(source);
      // every holder kept is one the full frame has
      const key = (h: Holder) => `${h.pid}/${h.fd}/${h.access}`;
      for (const h of o.holders) expect(source.holders.map(key)).toContain(key(h));
    }
    for (const [i, p] of wired.processes.entries()) {
      const source = full.processes[i]!;
      expect(p.fds.length).toBeLessThanOrEqual(16);
      expect(fdTotal(p)).toBe(source.fds.length);
      if (source.fds.length > 16) expect(p.fdsTotal).toBe(source.fds.length);
    }
    // the input is not touched
    expect(full.objects[0]!.holders).toHaveLength(201);
  });

  it('keeps the reader, the sleeper and the parent of a pipe, and counts the elder write ends by parent and command', () => {
    const full = keepsPoolFrame(1000);
    const wired = wireFrame(full, { holders: 8, fds: 8 });
    const pipe0 = wired.objects.find((o) => o.id === 'pipe:50000')!;
    expect(pipe0.holders).toEqual(expect.arrayContaining([{ pid: 100, fd: 10, access: 'w' }, { pid: 1000, fd: 0, access: 'r' }]));
    expect(pipe0.holdersTotal).toBe(1001);
    // the 999 younger workers hold it for writing; 6 of them are listed, 993 counted
    expect(pipe0.holdersOmitted).toEqual([{ ppid: 100, comm: 'worker', access: 'w', count: 1001 - 8 }]);
    const last = wired.processes.find((p) => p.pid === 1999)!;
    expect(last.fds.map((f) => f.fd)).toContain(0);
    expect(last.fdsTotal).toBe(1000);
    expect(last.fdsOmitted).toEqual([{ kind: 'pipe', access: 'w', count: 1000 - 8 }]);
    const parent = wired.processes.find((p) => p.pid === 100)!;
    expect(parent.fdsOmitted).toEqual([{ kind: 'pipe', access: 'w', count: 1000 - 8 }]);
  });

  it('keeps a descriptor a lesson step points at, and every small group of holders whole', () => {
    const full: Frame = keepsPoolFrame(40);
    const lesson = { steps: [{ focus: [{ role: 'w', pid: 1039, fd: 45, note: { en: '', 'zh-Hans': '', 'zh-Hant': '' } }] }] } as unknown as Frame['lesson'];
    // two outsiders with their own parent hold pipe 0 too: a group of 2, kept whole so the map does not fold the pipe into the fan
    const outsiders = [
      { pid: 7001, ppid: 7000, comm: 'spy', state: 'S', blocked: null, fds: [{ fd: 5, object: 'pipe:50000', access: 'r', target: 'pipe:[50000]' }], readable: true },
      { pid: 7002, ppid: 7000, comm: 'spy', state: 'S', blocked: null, fds: [{ fd: 6, object: 'pipe:50000', access: 'w', target: 'pipe:[50000]' }], readable: true },
    ] satisfies ProcessInfo[];
    full.processes.push(...outsiders);
    full.objects[0]!.holders.push({ pid: 7002, fd: 6, access: 'w' }, { pid: 7001, fd: 5, access: 'r' });
    const wired = wireFrame({ ...full, lesson }, { holders: 6, fds: 6 });
    expect(wired.processes.find((p) => p.pid === 1039)!.fds.map((f) => f.fd)).toContain(45);
    const pids = wired.objects[0]!.holders.map((h) => h.pid);
    expect(pids).toEqual(expect.arrayContaining([100, 1000, 7001, 7002]));
  });
});

describe('wireFrame from frame to frame', () => {
  it('reuses the cut of an object or process that is the same object, and cuts again what changed', () => {
    const first = keepsPoolFrame(40);
    const caps = { holders: 8, fds: 8 };
    const a = wireFrame(first, caps);
    /* the next frame: the same processes and objects, except the parent (a new object, as for an actor that ran) */
    const next = { ...first, processes: [{ ...first.processes[0]! }, ...first.processes.slice(1)] };
    const b = wireFrame(next, caps);
    expect(b.objects[0]).toBe(a.objects[0]);
    expect(b.processes[5]).toBe(a.processes[5]);
    expect(b.processes[0]).not.toBe(a.processes[0]);
    expect(b.processes[0]).toEqual(a.processes[0]);
    /* worker 1000 now sleeps on another pipe: what holder cuts read changed, so they are made again (the same here) */
    const moved = { ...next, processes: next.processes.map((p) => (p.pid === 1000 ? { ...p, blocked: { ...p.blocked!, object: 'pipe:50039' } } : p)) };
    const c = wireFrame(moved, caps);
    expect(c.objects[0]).not.toBe(a.objects[0]);
    expect(c.objects[0]).toEqual(a.objects[0]);
  });
});
