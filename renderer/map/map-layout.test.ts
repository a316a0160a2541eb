import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import { COL_W, type MapLayout } from './map-geometry';
import { fanKey, groupFrame } from './map-group';
import { HitIndex } from './map-hit';
import { HOLE_MS, MapLayoutState } from './map-layout';
import { pipelinesFrame, poolFrame, withPair } from './testing/pool-frame';

function layoutOf(state: MapLayoutState, frame: Frame, now: number, expanded: string[] = []): MapLayout {
  return state.layout(groupFrame(frame, new Set(expanded)), frame.processes, now);
}

function positions(layout: MapLayout): Map<string, string> {
  return new Map(layout.units.map((u) => [u.unit.key, `${u.x},${u.y}`]));
}

describe('MapLayoutState', () => {
  it('puts roots in the first column and a fan one column right of its parent', () => {
    const layout = layoutOf(new MapLayoutState(), poolFrame({ workers: 50 }), 0);
    const at = positions(layout);
    expect(at.get('process:100')).toBe('0,0');
    expect(at.get(fanKey(100, 'worker'))).toBe(`${COL_W},0`);
  });

  it('keeps every position when processes come and go; new ones go below; a hole stays until it times out or is compacted', () => {
    const state = new MapLayoutState();
    const base = withPair(withPair(poolFrame({ workers: 50 }), 7001, 7002, 91), 7101, 7102, 92);
    const first = positions(layoutOf(state, base, 0));
    // 7001/7002 exit, a new pair appears.
    const next: Frame = withPair({ ...base, processes: base.processes.filter((p) => p.pid !== 7001 && p.pid !== 7002), objects: base.objects.filter((o) => o.id !== 'pipe:91') }, 7201, 7202, 93);
    const second = layoutOf(state, next, 1000);
    const at = positions(second);
    for (const key of ['process:100', fanKey(100, 'worker'), 'process:7101', 'process:7102']) expect(at.get(key)).toBe(first.get(key));
    const lowest = Math.max(...[...first.values()].map((p) => Number(p.split(',')[1])));
    expect(Number(at.get('process:7201')!.split(',')[1])).toBeGreaterThan(lowest);
    expect(second.holes.length).toBe(2);
    // Still a hole just before the timeout; closed after it: 7101 moves up into 7001's place.
    expect(positions(layoutOf(state, next, HOLE_MS)).get('process:7101')).toBe(first.get('process:7101'));
    const closed = layoutOf(state, next, 1000 + HOLE_MS);
    expect(closed.holes).toHaveLength(0);
    expect(positions(closed).get('process:7101')).toBe(first.get('process:7001'));
  });

  it('closes holes at once on compact()', () => {
    const state = new MapLayoutState();
    const base = withPair(withPair(poolFrame({ workers: 2 }), 7001, 7002, 91), 7101, 7102, 92);
    const first = positions(layoutOf(state, base, 0));
    const next = { ...base, processes: base.processes.filter((p) => p.pid !== 7001) };
    expect(layoutOf(state, next, 10).holes).toHaveLength(1);
    state.compact();
    const after = layoutOf(state, next, 20);
    expect(after.holes).toHaveLength(0);
    expect(positions(after).get('process:7002')).toBe(first.get('process:7001'));
  });

  it('lays out 1000 workers and 1000 pairs the same way twice (deterministic)', () => {
    let frame = poolFrame({ workers: 1000 });
    for (let i = 0; i < 500; i += 1) frame = withPair(frame, 20_000 + 2 * i, 20_001 + 2 * i, 90_000 + i);
    const a = positions(layoutOf(new MapLayoutState(), frame, 0));
    const b = positions(layoutOf(new MapLayoutState(), frame, 0));
    expect(a).toEqual(b);
  });

  it('draws an edge from a blocked reader to its pipe as blocked, and one parent edge for a fan', () => {
    const layout = layoutOf(new MapLayoutState(), withPair(poolFrame({ workers: 10 }), 7001, 7002, 91), 0);
    const readerEdge = layout.edges.find((e) => e.pid === 7002 && e.objectId === 'pipe:91');
    expect(readerEdge?.blocked).toBe(true);
    expect(layout.edges.find((e) => e.pid === 7001)?.blocked).toBe(false);
    const fanEdge = layout.edges.find((e) => e.objectId === null && e.pid === 100);
    expect(fanEdge?.count).toBe(10);
  });
});

describe('sibling fans', () => {
  it('link the writers fan to the readers fan with one counted edge bowing out to the right', () => {
    const layout = layoutOf(new MapLayoutState(), pipelinesFrame(50), 0);
    const link = layout.edges.find((e) => e.unit === fanKey(300, 'sleep') && e.bulge !== undefined);
    expect(link?.count).toBe(50);
    expect(link?.to.y).toBeGreaterThan(link!.from.y);
    expect(layout.objects).toHaveLength(0);
  });
});

describe('HitIndex', () => {
  it('finds a process, an object, a fan, and a member of an open fan over the fan', () => {
    const frame = withPair(poolFrame({ workers: 10 }), 7001, 7002, 91);
    const closed = layoutOf(new MapLayoutState(), frame, 0);
    const hits = new HitIndex(closed.hits);
    const proc = closed.processAt.get(7002)!;
    expect(hits.at({ x: proc.x + 5, y: proc.y + 5 })).toEqual({ type: 'process', pid: 7002 });
    const obj = closed.objectAt.get('pipe:91')!;
    expect(hits.at({ x: obj.x + 2, y: obj.y + 2 })).toEqual({ type: 'object', id: 'pipe:91' });
    const fan = closed.units.find((u) => u.unit.kind === 'fan')!;
    expect(hits.at({ x: fan.x + 10, y: fan.y + 10 })).toEqual({ type: 'fan', key: fan.unit.key });
    expect(hits.at({ x: -5000, y: -5000 })).toBeNull();

    const open = layoutOf(new MapLayoutState(), frame, 0, [fanKey(100, 'worker')]);
    const member = open.processAt.get(1003)!;
    expect(new HitIndex(open.hits).at({ x: member.x + 3, y: member.y + 3 })).toEqual({ type: 'process', pid: 1003 });
  });
});
