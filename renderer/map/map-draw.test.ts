import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../native-bridge/model/diagnosis-types';
import { paletteFor } from '../picture/palette';
import { summarize } from '../observe/recent-traffic';
import { drawMap, type DrawInput } from './map-draw';
import { drawDeadlock, memberRing, pillPlace, ringJoins, ringMembers } from './map-draw-deadlock';
import type { Point, Rect } from './map-geometry';
import { fanKey, groupFrame } from './map-group';
import { MapLayoutState } from './map-layout';
import { drawInputFor } from './testing/draw-input';
import { poolFrame, withPair } from './testing/pool-frame';
import { recordingContext } from './testing/recording-context';
import { wireKeepsPoolFrame } from './testing/wire-pool-frame';

function input(diagnoses: Diagnosis[], k = 1): DrawInput {
  const frame = withPair(withPair(poolFrame({ workers: 12, running: 1 }), 7001, 7002, 91), 7101, 7102, 92);
  return drawInputFor(frame, { transform: { k, x: 0, y: 0 }, dpr: 2, selection: 'process:7002', matches: new Set([7101]), diagnoses });
}

describe('drawMap', () => {
  it('writes the fan line, process heads and object fill, and strokes blocked edges in the blocked colour', () => {
    const { ctx, texts, strokes } = recordingContext();
    const drawn = input([]);
    drawMap(ctx, drawn);
    const words = texts.map((t) => t.text);
    expect(words).toContain('12 × worker  ·  their own: 12 pipe');
    expect(words).toContain('11 blocked in read, 1 running');
    expect(words).toContain('7002 cat');
    expect(words).toContain('pipe 91');
    expect(strokes).toContain(drawn.palette.blocked);
    expect(strokes).toContain(drawn.palette.lessonAccent); // the selection
    expect(strokes).toContain(drawn.palette.flight); // the search match
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`draws the selected object's edges to its holders stronger than the rest, on a halo of the selection's colour (${theme})`, () => {
      const { ctx, lines } = recordingContext();
      const drawn = { ...input([]), palette: paletteFor(theme, false), selection: 'pipe:91' };
      const holders = drawn.layout.edges.filter((e) => e.objectId === 'pipe:91');
      expect(holders.length).toBeGreaterThanOrEqual(2);
      drawMap(ctx, drawn);
      const quiet = Math.max(...lines.filter((l) => l.stroke === drawn.palette.readEdge || l.stroke === drawn.palette.writeEdge).map((l) => l.width).filter((w) => w < 2));
      // one halo under them all, then each holder's edge in its own colour, at least twice the width of a quiet edge
      expect(lines.filter((l) => l.stroke === drawn.palette.lessonAccent && l.width >= 7)).toHaveLength(1);
      const halo = lines.findIndex((l) => l.stroke === drawn.palette.lessonAccent && l.width >= 7);
      const strong = lines.slice(halo + 1, halo + 1 + holders.length);
      for (const l of strong) expect(l.width).toBeGreaterThanOrEqual(2 * quiet);
      expect(strong.map((l) => l.stroke).sort()).toEqual(holders.map((e) => (e.access === 'r' ? drawn.palette.readEdge : e.access === 'w' ? drawn.palette.writeEdge : drawn.palette.otherEdge)).sort());
      // a process selected: its own edges
      const proc = recordingContext();
      drawMap(proc.ctx, { ...drawn, selection: 'process:7002' });
      expect(proc.lines.filter((l) => l.stroke === drawn.palette.lessonAccent && l.width >= 7)).toHaveLength(1);
      // nothing selected: no halo
      const none = recordingContext();
      drawMap(none.ctx, { ...drawn, selection: null });
      expect(none.lines.filter((l) => l.stroke === drawn.palette.lessonAccent)).toHaveLength(0);
    });
  }

  it('draws a deadlock as a named ring in the diagnosis colour, and names other diagnoses', () => {
    const { ctx, texts, strokes } = recordingContext();
    const drawn = input([
      { kind: 'deadlock', processes: [7001, 7101], objects: ['pipe:91', 'pipe:92'], evidence: [], facts: [] },
      { kind: 'never-eof', processes: [7002], objects: ['pipe:91'], evidence: [], facts: [] },
    ]);
    drawMap(ctx, drawn);
    expect(texts.filter((t) => t.fill === drawn.palette.eof).map((t) => t.text)).toContain('will never see EOF');
    // The deadlock's name: light text on a pill of the diagnosis colour.
    expect(texts.find((t) => t.text === 'deadlock')?.fill).toBe(drawn.palette.background);
    expect(strokes.filter((s) => s === drawn.palette.eof).length).toBeGreaterThanOrEqual(4);
  });

  it('joins only a deadlock\'s members: a ring around each, joins around the cycle, never around another process; its name clear of every box', () => {
    const { ctx, texts, rounds } = recordingContext();
    const d: Diagnosis = { kind: 'deadlock', processes: [7001, 7101], objects: ['pipe:91', 'pipe:92'], evidence: [], facts: [] };
    const drawn = input([d]);
    const { processAt, objectAt } = drawn.layout;
    const members = [processAt.get(7001)!, objectAt.get('pipe:91')!, processAt.get(7101)!, objectAt.get('pipe:92')!];
    const others = [...[...processAt].filter(([pid]) => !d.processes.includes(pid)), ...[...objectAt].filter(([id]) => !d.objects.includes(id))].map(([, r]) => r);
    const inside = (r: Rect, box: Rect) => r.x >= box.x && r.y >= box.y && r.x + r.w <= box.x + box.w && r.y + r.h <= box.y + box.h;
    const meets = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    // The review's case: a box around all members holds processes that are not in the deadlock.
    const box = { x: Math.min(...members.map((r) => r.x)), y: Math.min(...members.map((r) => r.y)), w: 0, h: 0 };
    box.w = Math.max(...members.map((r) => r.x + r.w)) - box.x;
    box.h = Math.max(...members.map((r) => r.y + r.h)) - box.y;
    expect(others.some((r) => meets(r, box))).toBe(true);
    drawDeadlock(ctx, d, drawn, 1);
    // its rings (the last round is its name's pill): one around each member, each clear of every other process and object
    const rings = rounds.slice(0, -1);
    expect(rings).toHaveLength(members.length);
    members.forEach((m, i) => expect(inside(m, rings[i]!)).toBe(true));
    for (const ring of rings) for (const o of others) expect(meets(ring, o)).toBe(false);
    // Around the cycle: process, the pipe it waits on, the next process, its pipe, back to the first.
    expect(ringMembers(d, processAt, objectAt)).toEqual(members);
    const joins = ringJoins(members);
    expect(joins).toHaveLength(4);
    const onRing = (pt: Point, m: Rect) => {
      const r = memberRing(m);
      return Math.abs(pt.x - r.x) < 0.01 || Math.abs(pt.x - r.x - r.w) < 0.01 || Math.abs(pt.y - r.y) < 0.01 || Math.abs(pt.y - r.y - r.h) < 0.01;
    };
    joins.forEach(({ from, to }, i) => {
      expect(onRing(from, members[i]!) && onRing(to, members[(i + 1) % 4]!)).toBe(true);
    });
    // the closing join bows round the outside: its control points clear of every member
    for (const c of joins[3]!.via!) for (const m of members) expect(inside({ x: c.x, y: c.y, w: 0, h: 0 }, memberRing(m))).toBe(false);
    // its name: on a pill that covers no process or object (here the pool's parent sits above the topmost member)
    expect(texts.some((t) => t.text === 'deadlock')).toBe(true);
    const pill = rounds[rounds.length - 1]!;
    for (const b of [...processAt.values(), ...objectAt.values()]) expect(meets(pill, b)).toBe(false);
  });

  it('puts the deadlock\'s name where it covers no process or object: above the topmost member, else below the lowest', () => {
    const drawn = input([]);
    const members = [drawn.layout.processAt.get(7001)!, drawn.layout.objectAt.get('pipe:91')!, drawn.layout.processAt.get(7101)!, drawn.layout.objectAt.get('pipe:92')!];
    const boxes = [...drawn.layout.processAt.values(), ...drawn.layout.objectAt.values()];
    const top = Math.min(...members.map((r) => r.y));
    const meets = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    // with nothing around, above the topmost member
    expect(pillPlace(members, 60, 20, members).y).toBeLessThan(top);
    // a label just above the topmost member (PID scope: a neighbour's head): the name goes under the lowest instead
    const topmost = members.find((r) => r.y === top)!;
    const neighbour = { x: topmost.x - 20, y: topmost.y - 40, w: topmost.w + 40, h: 30 };
    const moved = pillPlace(members, 60, 20, [...boxes, neighbour]);
    expect(meets(moved, neighbour)).toBe(false);
    for (const b of boxes) expect(meets(moved, b)).toBe(false);
  });

  it('leaves small text out when zoomed far out, but keeps the heads', () => {
    const { ctx, texts } = recordingContext();
    drawMap(ctx, input([], 0.3));
    const words = texts.map((t) => t.text);
    expect(words.some((w) => w.startsWith('12 × worker'))).toBe(true);
    expect(words).not.toContain('11 blocked in read, 1 running');
  });

  for (const [version, frame, line] of [
    ['closes', poolFrame({ workers: 200 }), 'each holds only its own read end'],
    ['keeps', wireKeepsPoolFrame(200, 64), "holding 19,900 siblings' write ends (up to 199 each)"],
  ] as const) {
    it(`says what the members of an opened fan hold (${version}) at the zoom that fits the whole map, and at a readable one`, () => {
      const layout = new MapLayoutState().layout(groupFrame(frame, new Set([fanKey(100, 'worker')])), frame.processes);
      // 0.41: the zoom Fit gives this map on the 836 px canvas at 1280x720 (the review's screenshot).
      for (const k of [0.41, 1]) {
        const { ctx, texts } = recordingContext();
        drawMap(ctx, { ...input([], k), layout, selection: null, matches: new Set() });
        const trap = texts.find((t) => t.text === line);
        expect(trap, `k ${k}`).toBeDefined();
        expect(trap!.fill).toBe(version === 'keeps' ? paletteFor('dark', false).eof : paletteFor('dark', false).muted);
      }
    });
  }

  it('draws traffic between frames: on the edge when one descriptor carried it, else as the whole process rate, and says which', () => {
    const { ctx, texts } = recordingContext();
    const drawn = input([]);
    // 7001 wrote 10 B through fd 1 (pipe 91) over 2 s; 7102 read 4 B, counted for the whole process only.
    drawn.traffic = summarize([
      { takenAt: 1000, intervalMs: 1000, entries: [{ pid: 7001, direction: 'write', bytes: 5, calls: 1, intervalMs: 1000, via: 'descriptor', fd: 1, object: 'pipe:91' }] },
      { takenAt: 2000, intervalMs: 1000, entries: [{ pid: 7001, direction: 'write', bytes: 5, calls: 1, intervalMs: 1000, via: 'descriptor', fd: 1, object: 'pipe:91' }, { pid: 7102, direction: 'read', bytes: 4, calls: 2, intervalMs: 1000, via: 'process' }] },
    ]);
    drawMap(ctx, drawn);
    const words = texts.map((t) => t.text);
    expect(words).toContain('5 B/s written · fd 1');
    expect(words).toContain('whole process: 2 B/s read');
    // Each in the gap above its process's box (no box or object label lies there).
    const label = texts.find((t) => t.text === '5 B/s written · fd 1')!;
    const writer = drawn.layout.processAt.get(7001)!;
    expect(label.x).toBeGreaterThanOrEqual(writer.x);
    expect(label.y).toBeLessThan(writer.y);
    expect(label.y).toBeGreaterThan(writer.y - 18);
    const reader = drawn.layout.processAt.get(7102)!;
    expect(texts.find((t) => t.text === 'whole process: 2 B/s read')!.y).toBeLessThan(reader.y);
    // a diagnosis named above the reader: its traffic moves right past the name, not over it
    const named = recordingContext();
    drawMap(named.ctx, { ...drawn, diagnoses: [{ kind: 'never-eof', processes: [7102], objects: ['pipe:91'], evidence: [], facts: [] }] });
    const name = named.texts.find((t) => t.text === 'will never see EOF')!;
    const rate = named.texts.find((t) => t.text.endsWith('2 B/s read'))!;
    expect(Math.abs(rate.y - name.y)).toBeLessThan(8);
    expect(rate.x).toBeGreaterThanOrEqual(name.x + name.text.length * 6);
  });
});
