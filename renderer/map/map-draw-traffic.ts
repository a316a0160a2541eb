import type { TrafficSummary } from '../observe/recent-traffic';
import { rateText } from '../observe/recent-traffic';
import { SMALL, curve, diagnosisNameAt, edgeColour, roundRect, type DrawInput } from './map-draw-kit';
import { ROW_GAP, type MapEdge, type Rect } from './map-geometry';
import type { UnitKey } from './map-group';
import { diagnosisName } from './map-labels';

/**
 * What moved since the last frames (/proc/PID/io, summed over the observe
 * store's window), over the map as the picture shows it: along a process's
 * edge when one descriptor accounts for the bytes (a wide dashed band in the
 * direction's colour, and a pill "5 B/s written · fd 1"), else as the whole
 * process's rate ("whole process: 5 B/s written, 2 B/s read"). The words go
 * in one row in the gap above the unit's box; a fan's members are summed into
 * the fan's row. Each label is placed where it covers no box (so no name), no
 * diagnosis's name and no other label: in its full words, else shorter
 * ("5 B/s written"), else not at all (the tooltip and the inspector say it).
 */
export function drawTraffic(ctx: CanvasRenderingContext2D, input: DrawInput, traffic: TrafficSummary, px: number): void {
  const p = input.palette;
  ctx.lineCap = 'round';
  for (const { edge, moved } of movedEdges(input, traffic)) {
    ctx.strokeStyle = edgeColour(moved.direction === 'write' ? 'w' : 'r', p);
    ctx.globalAlpha = 0.45;
    ctx.lineWidth = Math.max(8 * px, 7);
    ctx.setLineDash([2 * px, 10 * px]);
    ctx.beginPath();
    curve(ctx, edge.from, edge.to, edge.bulge);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  }
  ctx.lineCap = 'butt';
  for (const label of placeTrafficLabels(ctx, input, traffic)) word(ctx, input, label);
}

/** A label's height over its font size: a pill round the words. */
const PILL_H = 1.4;

/** A traffic label where it is drawn: its words, pill colour (null: plain muted text) and box, in world units. */
export interface TrafficLabel extends Rect {
  text: string;
  colour: string | null;
  /** The unit whose row it is in. */
  unit: UnitKey;
  /** Font size, world units. */
  size: number;
}

/** The edges whose descriptor carried bytes, with what went through. */
function movedEdges(input: DrawInput, traffic: TrafficSummary): { edge: MapEdge; moved: { bytes: number; fd: number; direction: 'read' | 'write' } }[] {
  const byObject = new Map<string, { bytes: number; fd: number; direction: 'read' | 'write' }>();
  for (const e of traffic.edges.values()) if (e.bytes > 0) byObject.set(`${e.pid}/${e.object}`, e);
  const out: { edge: MapEdge; moved: { bytes: number; fd: number; direction: 'read' | 'write' } }[] = [];
  for (const edge of input.layout.edges) {
    if (!edge.objectId || !edge.unit.startsWith('process:')) continue;
    const moved = byObject.get(`${edge.pid}/${edge.objectId}`);
    if (moved) out.push({ edge, moved });
  }
  return out;
}

/** Unit key -> its row's labels in order, each as its forms from the fullest to the shortest. */
function rowsOf(input: DrawInput, traffic: TrafficSummary): Map<UnitKey, { forms: string[]; colour: string | null }[]> {
  const { layout, t, palette: p } = input;
  const rows = new Map<UnitKey, { forms: string[]; colour: string | null }[]>();
  const add = (key: UnitKey, forms: string[], colour: string | null) => rows.set(key, [...(rows.get(key) ?? []), { forms, colour }]);
  const said = (d: 'read' | 'write') => t(d === 'write' ? 'obsWrote' : 'obsRead');
  for (const { edge, moved } of movedEdges(input, traffic)) {
    const rate = rateText(moved.bytes, traffic.spanMs);
    add(edge.unit, [t('obsViaFd', { rate, direction: said(moved.direction), fd: moved.fd }), t('mapTrafficRate', { rate, direction: said(moved.direction) })], edgeColour(moved.direction === 'write' ? 'w' : 'r', p));
  }
  if (!traffic.processes.size) return rows;
  const unitOf = new Map<number, UnitKey>();
  for (const placed of layout.units) {
    if (placed.unit.kind === 'process') unitOf.set(placed.unit.process.pid, placed.unit.key);
    else for (const m of placed.unit.members) unitOf.set(m.pid, placed.unit.key);
  }
  const perUnit = new Map<UnitKey, { read: number; write: number }>();
  for (const [pid, totals] of traffic.processes) {
    const key = unitOf.get(pid);
    if (!key) continue;
    const sum = perUnit.get(key) ?? { read: 0, write: 0 };
    sum.read += totals.read.bytes;
    sum.write += totals.write.bytes;
    perUnit.set(key, sum);
  }
  for (const [key, sum] of perUnit) {
    const rates = (['write', 'read'] as const).filter((d) => sum[d] > 0).map((d) => ({ rate: rateText(sum[d], traffic.spanMs), direction: said(d) }));
    if (!rates.length) continue;
    const rest = rates.slice(1).map((r) => t('mapTrafficRate', r));
    const sep = t('mapListSep');
    // "whole process: 33 B/s written, 13 B/s read", else without "whole process", else the first rate only
    const forms = [[t('obsWholeProcess', rates[0]!), ...rest].join(sep), [t('mapTrafficRate', rates[0]!), ...rest].join(sep)];
    if (rest.length) forms.push(t('mapTrafficRate', rates[0]!));
    add(key, forms, null);
  }
  return rows;
}

/** Where the names of diagnoses other than deadlocks are written: above their first member (map-draw.ts drawDeadlocks). */
function diagnosisNameBoxes(ctx: CanvasRenderingContext2D, input: DrawInput): Rect[] {
  const p = input.palette;
  const size = SMALL * p.scale;
  ctx.font = `700 ${size}px ${p.font}`;
  const boxes: Rect[] = [];
  for (const d of input.diagnoses) {
    if (d.kind === 'deadlock') continue;
    const at = diagnosisNameAt(d, input.layout);
    if (at) boxes.push({ x: at.x, y: at.y - size, w: ctx.measureText(diagnosisName(d.kind, input.t)).width, h: size * 1.3 });
  }
  return boxes;
}

function meets(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Places the traffic rows: each label left to right above its unit, in the
 * first of its forms whose box meets no box, diagnosis name or label placed
 * before it (moved right past such a name or label, a couple of times at
 * most); a label none of whose forms fits is left out.
 */
export function placeTrafficLabels(ctx: CanvasRenderingContext2D, input: DrawInput, traffic: TrafficSummary): TrafficLabel[] {
  const { layout, palette: p } = input;
  const rows = rowsOf(input, traffic);
  if (!rows.size) return [];
  // the row fits the gap between two stacked boxes (ROW_GAP), so a label never needs the box above's place
  const size = Math.min(SMALL * p.scale, (ROW_GAP - 2) / PILL_H);
  const h = size * PILL_H;
  const boxes: Rect[] = [...layout.units, ...layout.objects.filter((o) => !input.hiddenKinds.has(o.object.kind))];
  // names and labels are narrow: a label may move right past one of them; boxes end the row
  const names = diagnosisNameBoxes(ctx, input);
  const placed: TrafficLabel[] = [];
  for (const unit of layout.units) {
    const row = rows.get(unit.unit.key);
    if (!row) continue;
    let x = unit.x;
    const y = unit.y - 1 - h;
    for (const item of row) {
      ctx.font = `${item.colour ? '700 ' : ''}${size}px ${p.mono}`;
      for (const text of item.forms) {
        const box = freeBox({ x, y, w: ctx.measureText(text).width + (item.colour ? size : 0), h }, unit.x + unit.w * 0.75, boxes, [...names, ...placed]);
        if (!box) continue;
        placed.push({ ...box, text, colour: item.colour, unit: unit.unit.key, size });
        x = box.x + box.w + 6;
        break;
      }
    }
  }
  return placed;
}

/**
 * `box`, or moved right past a name or label it meets (twice at most, and
 * starting no further than `maxX`, so it still reads as its box's): null when
 * it meets a box, or still meets something.
 */
function freeBox(box: Rect, maxX: number, boxes: Rect[], soft: Rect[]): Rect | null {
  let at = box.x;
  for (let tries = 0; tries < 3 && at <= maxX; tries += 1) {
    const moved = { ...box, x: at };
    if (boxes.some((o) => meets(moved, o))) return null;
    const hit = soft.find((o) => meets(moved, o));
    if (!hit) return moved;
    at = hit.x + hit.w + 6;
  }
  return null;
}

/** A label: on a pill of its colour, or plain and muted (null). */
function word(ctx: CanvasRenderingContext2D, input: DrawInput, label: TrafficLabel): void {
  const p = input.palette;
  const size = label.size;
  const y = label.y + label.h / 2;
  ctx.font = `${label.colour ? '700 ' : ''}${size}px ${p.mono}`;
  ctx.textAlign = 'left';
  if (!label.colour) {
    ctx.fillStyle = p.muted;
    ctx.fillText(label.text, label.x, y + size / 3);
    return;
  }
  roundRect(ctx, label, label.h / 2);
  ctx.fillStyle = label.colour;
  ctx.fill();
  ctx.fillStyle = p.background;
  ctx.fillText(label.text, label.x + size / 2, y + size / 3);
}
