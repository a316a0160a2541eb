import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import { COL_W, type MapLayout } from './map-geometry';
import { fanKey, groupFrame } from './map-group';
import { HitIndex } from './map-hit';
import { MapLayoutState } from './map-layout';
import { pipelinesFrame, poolFrame, withPair } from './testing/pool-frame';

function layoutOf(state: MapLayoutState, frame: Frame, expanded: string[] = []): MapLayout {
  return state.layout(groupFrame(frame, new Set(expanded)), frame.processes);
}

function positions(layout: MapLayout): Map<string, string> {
  return new Map(layout.units.map((u) => [u.unit.key, `${u.x},${u.y}`]));
}

describe('MapLayoutState', () => {
  it('puts roots in the first column and a fan one column right of its parent', () => {
    const layout = layoutOf(new MapLayoutState(), poolFrame({ workers: 50 }));
    const at = positions(layout);
    expect(at.get('process:100')).toBe('0,0');
    expect(at.get(fanKey(100, 'worker'))).toBe(`${COL_W},0`);
  });

  it('keeps every position when other processes exit, for as long as it lives; a new one takes a hole it fits in, else goes below', () => {
    const state = new MapLayoutState();
    const base = withPair(withPair(withPair(poolFrame({ workers: 50 }), 7001, 7002, 91), 7101, 7102, 92), 7301, 7302, 94);
    const first = positions(layoutOf(state, base));
    // 7001/7002 exit: their places stay empty (holes), nothing under them moves up, frame after frame.
    const exited: Frame = { ...base, processes: base.processes.filter((p) => p.pid !== 7001 && p.pid !== 7002), objects: base.objects.filter((o) => o.id !== 'pipe:91') };
    const kept = ['process:100', fanKey(100, 'worker'), 'process:7101', 'process:7102', 'process:7301', 'process:7302'];
    for (let i = 0; i < 50; i += 1) {
      const at = positions(layoutOf(state, exited));
      for (const key of kept) expect(at.get(key)).toBe(first.get(key));
    }
    expect(layoutOf(state, exited).holes).toHaveLength(2);
    // A new pair comes: it fills the holes (same column, same height), nothing else moves.
    const refilled = withPair(exited, 7201, 7202, 93);
    const after = layoutOf(state, refilled);
    const at = positions(after);
    for (const key of kept) expect(at.get(key)).toBe(first.get(key));
    expect(at.get('process:7201')).toBe(first.get('process:7001'));
    expect(at.get('process:7202')).toBe(first.get('process:7002'));
    expect(after.holes).toHaveLength(0);
    // Another new pair finds no hole: below the lowest.
    const lowest = Math.max(...[...first.values()].map((p) => Number(p.split(',')[1])));
    expect(Number(positions(layoutOf(state, withPair(refilled, 7401, 7402, 95))).get('process:7401')!.split(',')[1])).toBeGreaterThan(lowest);
  });

  it('puts a new process into a hole left in the same frame', () => {
    const state = new MapLayoutState();
    const base = withPair(withPair(poolFrame({ workers: 2 }), 7001, 7002, 91), 7101, 7102, 92);
    const first = positions(layoutOf(state, base));
    const swapped = withPair({ ...base, processes: base.processes.filter((p) => p.pid !== 7001 && p.pid !== 7002), objects: base.objects.filter((o) => o.id !== 'pipe:91') }, 7201, 7202, 93);
    const at = positions(layoutOf(state, swapped));
    expect(at.get('process:7201')).toBe(first.get('process:7001'));
    expect(at.get('process:7101')).toBe(first.get('process:7101'));
  });

  it('lays out 1000 workers and 1000 pairs the same way twice (deterministic)', () => {
    let frame = poolFrame({ workers: 1000 });
    for (let i = 0; i < 500; i += 1) frame = withPair(frame, 20_000 + 2 * i, 20_001 + 2 * i, 90_000 + i);
    const a = positions(layoutOf(new MapLayoutState(), frame));
    const b = positions(layoutOf(new MapLayoutState(), frame));
    expect(a).toEqual(b);
  });

  it('draws an edge from a blocked reader to its pipe as blocked, and one parent edge for a fan', () => {
    const layout = layoutOf(new MapLayoutState(), withPair(poolFrame({ workers: 10 }), 7001, 7002, 91));
    const readerEdge = layout.edges.find((e) => e.pid === 7002 && e.objectId === 'pipe:91');
    expect(readerEdge?.blocked).toBe(true);
    expect(layout.edges.find((e) => e.pid === 7001)?.blocked).toBe(false);
    const fanEdge = layout.edges.find((e) => e.objectId === null && e.pid === 100);
    expect(fanEdge?.count).toBe(10);
  });
});

describe('sibling fans', () => {
  it('link the writers fan to the readers fan with one counted edge bowing out to the right', () => {
    const layout = layoutOf(new MapLayoutState(), pipelinesFrame(50));
    const link = layout.edges.find((e) => e.unit === fanKey(300, 'sleep') && e.bulge !== undefined);
    expect(link?.count).toBe(50);
    expect(link?.to.y).toBeGreaterThan(link!.from.y);
    expect(layout.objects).toHaveLength(0);
  });
});

describe('HitIndex', () => {
  it('finds a process, an object, a fan, and a member of an open fan over the fan', () => {
    const frame = withPair(poolFrame({ workers: 10 }), 7001, 7002, 91);
    const closed = layoutOf(new MapLayoutState(), frame);
    const hits = new HitIndex(closed.hits);
    const proc = closed.processAt.get(7002)!;
    expect(hits.at({ x: proc.x + 5, y: proc.y + 5 })).toEqual({ type: 'process', pid: 7002 });
    const obj = closed.objectAt.get('pipe:91')!;
    expect(hits.at({ x: obj.x + 2, y: obj.y + 2 })).toEqual({ type: 'object', id: 'pipe:91' });
    const fan = closed.units.find((u) => u.unit.kind === 'fan')!;
    expect(hits.at({ x: fan.x + 10, y: fan.y + 10 })).toEqual({ type: 'fan', key: fan.unit.key });
    expect(hits.at({ x: -5000, y: -5000 })).toBeNull();

    const open = layoutOf(new MapLayoutState(), frame, [fanKey(100, 'worker')]);
    const member = open.processAt.get(1003)!;
    expect(new HitIndex(open.hits).at({ x: member.x + 3, y: member.y + 3 })).toEqual({ type: 'process', pid: 1003 });
  });
});
