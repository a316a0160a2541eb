import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../native-bridge/model/diagnosis-types';
import { translate } from '../i18n/strings';
import { paletteFor } from '../picture/palette';
import { summarize } from '../observe/recent-traffic';
import { drawMap, type DrawInput } from './map-draw';
import { fanKey, groupFrame } from './map-group';
import { MapLayoutState } from './map-layout';
import { poolFrame, withPair } from './testing/pool-frame';
import { wireKeepsPoolFrame } from './testing/wire-pool-frame';

/** A 2D context that records what is written and in which colour, and does nothing else. */
function recordingContext(): { ctx: CanvasRenderingContext2D; texts: { text: string; fill: string; x: number; y: number }[]; strokes: string[]; rounds: { x: number; y: number; w: number; h: number; stroke: string }[] } {
  const texts: { text: string; fill: string; x: number; y: number }[] = [];
  const strokes: string[] = [];
  const rounds: { x: number; y: number; w: number; h: number; stroke: string }[] = [];
  const state: Record<string, unknown> = { fillStyle: '', strokeStyle: '', font: '10px sans', globalAlpha: 1 };
  const ctx = new Proxy(state, {
    get(target, key: string) {
      if (key === 'fillText') return (text: string, x: number, y: number) => texts.push({ text, fill: String(target.fillStyle), x, y });
      if (key === 'roundRect') return (x: number, y: number, w: number, h: number) => rounds.push({ x, y, w, h, stroke: String(target.strokeStyle) });
      if (key === 'stroke' || key === 'strokeRect') return () => strokes.push(String(target.strokeStyle));
      if (key === 'measureText') return (text: string) => ({ width: text.length * 6 });
      if (key in target) return target[key];
      return () => undefined;
    },
    set(target, key: string, value: unknown) {
      target[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, texts, strokes, rounds };
}

function input(diagnoses: Diagnosis[], k = 1): DrawInput {
  const frame = withPair(withPair(poolFrame({ workers: 12, running: 1 }), 7001, 7002, 91), 7101, 7102, 92);
  const layout = new MapLayoutState().layout(groupFrame(frame, new Set()), frame.processes);
  return {
    layout,
    transform: { k, x: 0, y: 0 },
    width: 2000,
    height: 2000,
    dpr: 2,
    palette: paletteFor('dark', false),
    t: (key, values) => translate('en', key, values),
    selection: 'process:7002',
    hovered: null,
    matches: new Set([7101]),
    hiddenKinds: new Set(),
    diagnoses,
  };
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

  it('rings a deadlock whose members sit in one column (a closed loop around every member), its name clear above them', () => {
    const { ctx, texts, rounds } = recordingContext();
    const drawn = input([{ kind: 'deadlock', processes: [7001, 7101], objects: ['pipe:91', 'pipe:92'], evidence: [], facts: [] }]);
    const members = [drawn.layout.processAt.get(7001)!, drawn.layout.processAt.get(7101)!, drawn.layout.objectAt.get('pipe:91')!, drawn.layout.objectAt.get('pipe:92')!];
    // The review's case: both processes in one column, so a polyline through their centres was a straight line.
    expect(members[0]!.x).toBe(members[1]!.x);
    drawMap(ctx, drawn);
    // The ring: a rounded loop (drawn with roundRect) in the diagnosis colour, around every member.
    const ring = rounds.find((r) => r.stroke === drawn.palette.eof && r.w > 200)!;
    expect(ring.h).toBeGreaterThan(100);
    for (const r of members) expect(r.x > ring.x && r.y > ring.y && r.x + r.w < ring.x + ring.w && r.y + r.h < ring.y + ring.h).toBe(true);
    const label = texts.find((t) => t.text === 'deadlock')!;
    // Above the ring, so above every member and every other label of theirs.
    expect(label.y).toBeLessThan(ring.y);
    expect(label.y).toBeLessThan(Math.min(...members.map((r) => r.y)));
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
  });
});
