import type { TrafficSummary } from '../observe/recent-traffic';
import { rateText } from '../observe/recent-traffic';
import { SMALL, curve, edgeColour, roundRect, type DrawInput } from './map-draw-kit';

/**
 * What moved since the last frames (/proc/PID/io, summed over the observe
 * store's window), over the map as the picture shows it: along a process's
 * edge when one descriptor accounts for the bytes (a wide dashed band in the
 * direction's colour, and a pill "5 B/s written · fd 1"), else as the whole
 * process's rate ("whole process: 5 B/s written"). The words go in one row in
 * the gap above the unit's box, where no box or object label lies; a fan's
 * members are summed into the fan's row.
 */
export function drawTraffic(ctx: CanvasRenderingContext2D, input: DrawInput, traffic: TrafficSummary, px: number): void {
  const { layout, t, palette: p } = input;
  const byObject = new Map<string, { bytes: number; fd: number; direction: 'read' | 'write' }>();
  for (const e of traffic.edges.values()) if (e.bytes > 0) byObject.set(`${e.pid}/${e.object}`, e);
  /** Unit key -> the words of its row, in order. */
  const rows = new Map<string, { text: string; colour: string | null }[]>();
  const add = (key: string, text: string, colour: string | null) => rows.set(key, [...(rows.get(key) ?? []), { text, colour }]);
  ctx.lineCap = 'round';
  for (const edge of layout.edges) {
    if (!edge.objectId || !edge.unit.startsWith('process:')) continue;
    const moved = byObject.get(`${edge.pid}/${edge.objectId}`);
    if (!moved) continue;
    const colour = edgeColour(moved.direction === 'write' ? 'w' : 'r', p);
    ctx.strokeStyle = colour;
    ctx.globalAlpha = 0.45;
    ctx.lineWidth = Math.max(8 * px, 7);
    ctx.setLineDash([2 * px, 10 * px]);
    ctx.beginPath();
    curve(ctx, edge.from, edge.to, edge.bulge);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    add(edge.unit, t('obsViaFd', { rate: rateText(moved.bytes, traffic.spanMs), direction: t(moved.direction === 'write' ? 'obsWrote' : 'obsRead'), fd: moved.fd }), colour);
  }
  ctx.lineCap = 'butt';
  if (traffic.processes.size) {
    const unitOf = new Map<number, string>();
    for (const placed of layout.units) {
      if (placed.unit.kind === 'process') unitOf.set(placed.unit.process.pid, placed.unit.key);
      else for (const m of placed.unit.members) unitOf.set(m.pid, placed.unit.key);
    }
    const perUnit = new Map<string, { read: number; write: number }>();
    for (const [pid, totals] of traffic.processes) {
      const key = unitOf.get(pid);
      if (!key) continue;
      const sum = perUnit.get(key) ?? { read: 0, write: 0 };
      sum.read += totals.read.bytes;
      sum.write += totals.write.bytes;
      perUnit.set(key, sum);
    }
    for (const [key, sum] of perUnit) {
      for (const d of ['write', 'read'] as const) {
        if (sum[d] > 0) add(key, t('obsWholeProcess', { rate: rateText(sum[d], traffic.spanMs), direction: t(d === 'write' ? 'obsWrote' : 'obsRead') }), null);
      }
    }
  }
  const size = SMALL * p.scale;
  for (const placed of layout.units) {
    const row = rows.get(placed.unit.key);
    if (!row) continue;
    let x = placed.x;
    const y = placed.y - size * 0.9 - 2;
    for (const item of row) x = word(ctx, input, item.text, { x, y }, item.colour) + 6;
  }
}

/** Text at `at` (left end, vertical centre): on a pill of `colour`, or plain and muted (null). Returns its right end. */
function word(ctx: CanvasRenderingContext2D, input: DrawInput, text: string, at: { x: number; y: number }, colour: string | null): number {
  const p = input.palette;
  const size = SMALL * p.scale;
  ctx.font = `${colour ? '700 ' : ''}${size}px ${p.mono}`;
  ctx.textAlign = 'left';
  const width = ctx.measureText(text).width;
  if (!colour) {
    ctx.fillStyle = p.muted;
    ctx.fillText(text, at.x, at.y + size / 3);
    return at.x + width;
  }
  const box = { x: at.x, y: at.y - size * 0.8, w: width + size, h: size * 1.6 };
  roundRect(ctx, box, box.h / 2);
  ctx.fillStyle = colour;
  ctx.fill();
  ctx.fillStyle = p.background;
  ctx.fillText(text, box.x + size / 2, at.y + size / 3);
  return box.x + box.w;
}
