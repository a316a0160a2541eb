import type { Diagnosis } from '../../native-bridge/model/diagnosis-types';
import { headSize, roundRect, TEXT, type DrawInput } from './map-draw-kit';
import type { Point, Rect } from './map-geometry';

/** How far a member's ring stands off its box: past the selection and diagnosis outlines. */
const PAD = 7;

/**
 * A deadlock's members in the order of its ring: each process, then the
 * object it waits on (the diagnosis names processes around the ring and the
 * objects in the same order), back to the first. Members not on the map are
 * skipped.
 */
export function ringMembers(d: Diagnosis, processAt: ReadonlyMap<number, Rect>, objectAt: ReadonlyMap<string, Rect>): Rect[] {
  const out: Rect[] = [];
  d.processes.forEach((pid, i) => {
    const proc = processAt.get(pid);
    if (proc) out.push(proc);
    const id = d.objects[i];
    const object = id === undefined ? undefined : objectAt.get(id);
    if (object) out.push(object);
  });
  for (const id of d.objects.slice(d.processes.length)) {
    const object = objectAt.get(id);
    if (object) out.push(object);
  }
  return out;
}

/** A member's own ring: its box, padded. */
export function memberRing(r: Rect): Rect {
  return { x: r.x - PAD, y: r.y - PAD, w: r.w + 2 * PAD, h: r.h + 2 * PAD };
}

/** Where the segment from a's centre toward b's centre leaves a (on its padded ring). */
function exitPoint(a: Rect, b: Rect): Point {
  const ca = { x: a.x + a.w / 2, y: a.y + a.h / 2 };
  const dx = b.x + b.w / 2 - ca.x;
  const dy = b.y + b.h / 2 - ca.y;
  const sx = dx === 0 ? Infinity : (a.w / 2 + PAD) / Math.abs(dx);
  const sy = dy === 0 ? Infinity : (a.h / 2 + PAD) / Math.abs(dy);
  const s = Math.min(sx, sy, 1);
  return { x: ca.x + dx * s, y: ca.y + dy * s };
}

/** A join between two members: a straight line, or a bow through two control points (`via`). */
export interface RingJoin {
  from: Point;
  to: Point;
  via: [Point, Point] | null;
}

/** How far the closing join bows past the members. */
const BOW = 40;

/**
 * The joins of the ring: from each member to the next, ring edge to ring edge;
 * the last back to the first goes round the outside (below a row of members,
 * right of a column), never straight back through the members between.
 */
export function ringJoins(members: Rect[]): RingJoin[] {
  if (members.length < 2) return [];
  const joins: RingJoin[] = [];
  for (let i = 0; i + 1 < members.length; i += 1) {
    joins.push({ from: exitPoint(members[i]!, members[i + 1]!), to: exitPoint(members[i + 1]!, members[i]!), via: null });
  }
  // two members: one join (there and back would be drawn twice)
  if (members.length === 2) return joins;
  const first = memberRing(members[0]!);
  const last = memberRing(members[members.length - 1]!);
  const rings = members.map(memberRing);
  const x0 = Math.min(...rings.map((r) => r.x));
  const x1 = Math.max(...rings.map((r) => r.x + r.w));
  const y0 = Math.min(...rings.map((r) => r.y));
  const y1 = Math.max(...rings.map((r) => r.y + r.h));
  if (x1 - x0 >= y1 - y0) {
    const from = { x: last.x + last.w / 2, y: last.y + last.h };
    const to = { x: first.x + first.w / 2, y: first.y + first.h };
    joins.push({ from, to, via: [{ x: from.x, y: y1 + BOW }, { x: to.x, y: y1 + BOW }] });
  } else {
    const from = { x: last.x + last.w, y: last.y + last.h / 2 };
    const to = { x: first.x + first.w, y: first.y + first.h / 2 };
    joins.push({ from, to, via: [{ x: x1 + BOW, y: from.y }, { x: x1 + BOW, y: to.y }] });
  }
  return joins;
}

/**
 * A deadlock drawn so it joins only its members, however far apart they sit
 * (the whole machine puts kworkers and shells between them): a dashed ring
 * around each member, thick dashed joins from each to the next around the
 * cycle (the closing one round the outside), and its name on a pill above its topmost member. A box around all of
 * them enclosed unrelated processes and struck through their labels.
 */
export function drawDeadlock(ctx: CanvasRenderingContext2D, d: Diagnosis, input: DrawInput, px: number): void {
  const p = input.palette;
  const members = ringMembers(d, input.layout.processAt, input.layout.objectAt);
  if (members.length < 2) return;
  ctx.strokeStyle = p.eof;
  ctx.lineWidth = Math.max(3 * px, 3);
  ctx.setLineDash([10 * px, 6 * px]);
  for (const r of members) {
    const ring = memberRing(r);
    roundRect(ctx, ring, Math.min(ring.h / 2, 12));
    ctx.stroke();
  }
  ctx.beginPath();
  for (const { from, to, via } of ringJoins(members)) {
    ctx.moveTo(from.x, from.y);
    if (via) ctx.bezierCurveTo(via[0].x, via[0].y, via[1].x, via[1].y, to.x, to.y);
    else ctx.lineTo(to.x, to.y);
  }
  ctx.stroke();
  ctx.setLineDash([]);
  const size = headSize((TEXT + 2) * p.scale, input.transform.k);
  ctx.font = `700 ${size}px ${p.font}`;
  const text = input.t('mapDeadlock');
  const label = pillPlace(members, ctx.measureText(text).width + size, size * 1.5, [...input.layout.processAt.values(), ...input.layout.objectAt.values()]);
  roundRect(ctx, label, label.h / 2);
  ctx.fillStyle = p.eof;
  ctx.fill();
  ctx.fillStyle = p.background;
  ctx.textAlign = 'center';
  ctx.fillText(text, label.x + label.w / 2, label.y + label.h / 2 + size / 3);
}

const meets = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Where the deadlock's name goes: above its topmost member, else below its
 * lowest, else above another member: the first place that covers no process
 * or object box (a label above the topmost member could strike through a
 * neighbour's). Only run while a deadlock is drawn.
 */
export function pillPlace(members: Rect[], w: number, h: number, boxes: Iterable<Rect>): Rect {
  const byTop = [...members].sort((a, b) => a.y - b.y);
  const above = (r: Rect): Rect => ({ x: r.x + r.w / 2 - w / 2, y: r.y - PAD - h - 4, w, h });
  const below = (r: Rect): Rect => ({ x: r.x + r.w / 2 - w / 2, y: r.y + r.h + PAD + 4, w, h });
  const candidates = [above(byTop[0]!), below(byTop[byTop.length - 1]!), ...byTop.slice(1).map(above)];
  const obstacles = [...boxes];
  return candidates.find((c) => !obstacles.some((b) => meets(c, b))) ?? candidates[0]!;
}
