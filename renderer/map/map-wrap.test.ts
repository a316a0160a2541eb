import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { ProcessInfo } from '../../native-bridge/model/snapshot-types';
import type { MapLayout } from './map-geometry';
import { groupFrame } from './map-group';
import { MapLayoutState } from './map-layout';
import { fitTransform } from './map-viewport';
import { WRAP_BELOW_ZOOM, chooseWrap, cutColumn } from './map-wrap';
import { poolFrame, withPair } from './testing/pool-frame';

/*
 * The map wraps its columns to the canvas's shape (map-wrap.ts): a deep tree
 * (a shell chain eight levels down, many siblings at each level, as `--all`
 * shows on a desktop) is otherwise one long low strip at Fit.
 */

/** `chains` chains of `depth` processes under pid 1, each level with `siblings` leaves beside the chain's next link. */
function deepFrame(chains: number, depth: number, siblings: number): Frame {
  const processes: ProcessInfo[] = [{ pid: 1, ppid: 0, comm: 'init', state: 'S', blocked: null, fds: [], readable: true }];
  let pid = 100;
  for (let c = 0; c < chains; c += 1) {
    let parent = 1;
    for (let d = 0; d < depth; d += 1) {
      const link = pid++;
      processes.push({ pid: link, ppid: parent, comm: `sh${d}`, state: 'S', blocked: null, fds: [], readable: true });
      // siblings with distinct commands: none fold into a fan
      for (let s = 0; s < siblings; s += 1) processes.push({ pid: pid++, ppid: parent, comm: `leaf${d}-${s}`, state: 'S', blocked: null, fds: [], readable: true });
      parent = link;
    }
  }
  return { takenAt: 0, durationMs: 1, processes, objects: [], problems: [], seq: 1, rateHz: 10, events: [], lesson: null, observing: { all: true } };
}

const layoutOf = (state: MapLayoutState, frame: Frame, view?: { width: number; height: number }): MapLayout =>
  state.layout(groupFrame(frame, new Set()), frame.processes, view);

const positions = (layout: MapLayout): Map<string, string> => new Map(layout.units.map((u) => [u.unit.key, `${u.x},${u.y}`]));

const aspect = (layout: MapLayout): number => layout.bounds.w / layout.bounds.h;

describe('the map wraps to the canvas', () => {
  const frame = deepFrame(2, 10, 2);

  it('takes the canvas shape: a deep tree is no long low strip on a wide canvas, and Fit zooms in further', () => {
    const plain = layoutOf(new MapLayoutState(), frame);
    expect(aspect(plain)).toBeGreaterThan(6);
    for (const [width, height] of [
      [946, 704],
      [836, 524],
      [600, 900],
    ] as const) {
      const wrapped = layoutOf(new MapLayoutState(), frame, { width, height });
      // within a factor of 1.6 of the canvas's shape, where the plain layout is 4 to 12 times too wide
      expect(aspect(wrapped) / (width / height)).toBeLessThan(1.6);
      expect(aspect(wrapped) / (width / height)).toBeGreaterThan(1 / 1.6);
      expect(fitTransform(wrapped.bounds, width, height)!.k).toBeGreaterThan(1.5 * fitTransform(plain.bounds, width, height)!.k);
      // nothing drawn on top of anything else
      const boxes = wrapped.units.map((u) => u as { x: number; y: number; w: number; h: number });
      for (let i = 0; i < boxes.length; i += 1)
        for (let j = i + 1; j < boxes.length; j += 1) {
          const [a, b] = [boxes[i]!, boxes[j]!];
          expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).toBe(false);
        }
    }
  });

  it('keeps every position when a process appears or exits; a resize may wrap again', () => {
    const view = { width: 946, height: 704 };
    const state = new MapLayoutState();
    const first = positions(layoutOf(state, frame, view));
    // a leaf of the deepest level exits: a hole, nothing moves
    const leaf = frame.processes.find((p) => p.comm === 'leaf9-0')!;
    const exited = { ...frame, processes: frame.processes.filter((p) => p.pid !== leaf.pid) };
    const after = positions(layoutOf(state, exited, view));
    for (const [key, at] of after) expect(at).toBe(first.get(key));
    // a new process under a mid-chain shell: it alone is new, every other box stays
    const parent = frame.processes.find((p) => p.comm === 'sh4')!;
    const grown = { ...exited, processes: [...exited.processes, { ...leaf, pid: 9999, ppid: parent.pid, comm: 'new' }] };
    const next = positions(layoutOf(state, grown, view));
    for (const [key, at] of after) expect(next.get(key)).toBe(at);
    expect(next.get('process:9999')).toBeDefined();
    // and a second frame of the same processes moves nothing
    expect(positions(layoutOf(state, grown, view))).toEqual(next);
    // a tall narrow canvas: wrapped again, now taller than wide
    expect(aspect(layoutOf(state, grown, { width: 500, height: 1000 }))).toBeLessThan(1);
  });

  it('leaves a small map as it was: the pool and a pipeline stay one row, left to right', () => {
    const small = withPair(poolFrame({ workers: 50 }), 7001, 7002, 91);
    const view = { width: 836, height: 524 };
    const plain = positions(layoutOf(new MapLayoutState(), small));
    expect(positions(layoutOf(new MapLayoutState(), small, view))).toEqual(plain);
    expect(fitTransform(layoutOf(new MapLayoutState(), small).bounds, view.width, view.height)!.k).toBeGreaterThanOrEqual(WRAP_BELOW_ZOOM);
  });
});

describe('a tall column cut beside itself', () => {
  it('keeps every slot in its piece when a process appears at its end, exits, or opens objects', () => {
    // init with 40 children (distinct commands: no fan) and a chain 8 deep: the children's column is cut
    const frame = deepFrame(1, 8, 0);
    for (let i = 0; i < 40; i += 1) frame.processes.push({ pid: 5000 + i, ppid: 1, comm: `child${i}`, state: 'S', blocked: null, fds: [], readable: true });
    const view = { width: 946, height: 704 };
    const state = new MapLayoutState();
    const layout = layoutOf(state, frame, view);
    const xs = new Set(layout.units.filter((u) => u.unit.kind === 'process' && u.unit.process.ppid === 1).map((u) => u.x));
    expect(xs.size).toBeGreaterThan(1);
    const first = positions(layout);
    const grown = { ...frame, processes: [...frame.processes, { ...frame.processes[1]!, pid: 6000, ppid: 1, comm: 'late' }] };
    const next = positions(layoutOf(state, grown, view));
    for (const [key, at] of first) expect(next.get(key)).toBe(at);
    const exited = { ...grown, processes: grown.processes.filter((p) => p.pid !== 5003) };
    const after = positions(layoutOf(state, exited, view));
    for (const [key, at] of after) expect(at).toBe(next.get(key));
    // a child opens four pipes: its slot grows, the slots under it in its piece move down, none changes piece
    const opener = exited.processes.find((p) => p.pid === 5001)!;
    const pipes = [1, 2, 3, 4].map((i) => ({ id: `pipe:${800 + i}`, kind: 'pipe' as const, inode: 800 + i, capacity: 65536, queued: 0, readers: 1, writers: 1, holders: [{ pid: 5001, fd: 3 + i, access: 'rw' as const }] }));
    const opened = {
      ...exited,
      processes: exited.processes.map((p) => (p === opener ? { ...p, fds: pipes.map((o, i) => ({ fd: 4 + i, object: o.id, access: 'rw' as const, target: `pipe:[${o.inode}]` })) } : p)),
      objects: pipes,
    };
    const x = (at: string | undefined) => at?.split(',')[0];
    const moved = positions(layoutOf(state, opened, view));
    for (const [key, at] of after) expect(x(moved.get(key))).toBe(x(at));
  });
});

describe('chooseWrap', () => {
  it('cuts a column at a slot boundary, a taller slot alone in its piece', () => {
    expect(cutColumn([50, 50, 50], 100)).toEqual({ pieces: 2, tallest: 100, at: [{ piece: 0, y: 0 }, { piece: 0, y: 50 }, { piece: 1, y: 0 }] });
    expect(cutColumn([300, 50], 100).pieces).toBe(2);
    expect(cutColumn([50, 50], Infinity).pieces).toBe(1);
  });

  it('keeps the unheld objects with the first band', () => {
    const columns = [-1, 0, 1, 2, 3, 4, 5].map((column) => ({ column, width: 450, slots: [64, 64] }));
    const wrap = chooseWrap(columns, 900, 700, -1);
    expect(wrap.bands.length).toBeGreaterThan(1);
    expect(wrap.bands[0]).toContain(-1);
    expect(wrap.bands[0]).toContain(0);
  });
});
