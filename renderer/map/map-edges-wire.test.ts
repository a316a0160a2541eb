import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import { translatorFor } from '../store/selectors';
import { groupFrame, type FanUnit } from './map-group';
import { fanLines } from './map-labels';
import { MapLayoutState } from './map-layout';
import { poolFrame } from './testing/pool-frame';

/** 40 workers of one parent all holding one pipe for reading, written by a process outside: one loose object. */
function sharedPipeFrame(): Frame {
  const frame = poolFrame({ workers: 40 });
  const id = 'pipe:777';
  const workers = frame.processes.filter((p) => p.ppid === 100);
  for (const w of workers) w.fds.push({ fd: 5, object: id, access: 'r', target: 'pipe:[777]' });
  frame.processes.push({ pid: 7001, ppid: 1, comm: 'feeder', state: 'S', blocked: null, fds: [{ fd: 1, object: id, access: 'w', target: 'pipe:[777]' }], readable: true });
  frame.objects.push({ id, kind: 'pipe', inode: 777, capacity: 65536, queued: 0, readers: 40, writers: 1, holders: [{ pid: 7001, fd: 1, access: 'w' }, ...workers.map((w) => ({ pid: w.pid, fd: 5, access: 'r' as const }))] });
  return frame;
}

const edgesOf = (frame: Frame) => new MapLayoutState().layout(groupFrame(frame, new Set()), frame.processes).edges.filter((e) => e.objectId === 'pipe:777');

describe('map edges on a wire frame', () => {
  it('count the holders the wire left out into their fan edge: the same counts as the full frame', () => {
    const full = edgesOf(sharedPipeFrame()).map((e) => [e.unit, e.access, e.count]);
    // as the wire sends it with a cap of 8: the writer and 7 readers listed, 33 readers counted
    const wired = sharedPipeFrame();
    const pipe = wired.objects.find((o) => o.id === 'pipe:777')!;
    Object.assign(pipe, { holders: pipe.holders.slice(0, 8), holdersTotal: 41, holdersOmitted: [{ ppid: 100, comm: 'worker', access: 'r', count: 33 }] });
    expect(edgesOf(wired).map((e) => [e.unit, e.access, e.count])).toEqual(full);
    expect(full).toContainEqual(['fan:100:worker', 'r', 40]);
  });
});

describe('a fan on a wire frame', () => {
  it('says "at least" for members holding queued bytes when the wire left some holders of a queued object out', () => {
    const frame = sharedPipeFrame();
    const pipe = frame.objects.find((o) => o.id === 'pipe:777')!;
    pipe.queued = 12;
    expect(fanLines(groupFrame(frame, new Set()).units.find((u) => u.kind === 'fan') as FanUnit, translatorFor('en')).counts).toContain('40 holding queued bytes');
    Object.assign(pipe, { holders: pipe.holders.slice(0, 8), holdersTotal: 41, holdersOmitted: [{ ppid: 100, comm: 'worker', access: 'r', count: 33 }] });
    const fan = groupFrame(frame, new Set()).units.find((u) => u.kind === 'fan') as FanUnit;
    expect(fanLines(fan, translatorFor('en')).counts).toContain('at least 7 holding queued bytes');
    expect(fanLines(fan, translatorFor('zh-Hans')).counts).toContain('至少 7 个持有排队中的字节');
    expect(fanLines(fan, translatorFor('zh-Hant')).counts).toContain('至少 7 個持有排隊中的位元組');
  });
});
