import type { TrafficSummary } from '../observe/recent-traffic';
import { rateText } from '../observe/recent-traffic';
import { SMALL, edgeColour, roundRect, type DrawInput } from './map-draw-kit';
import type { Rect } from './map-geometry';

/**
 * What moved since the last frames (/proc/PID/io, summed over the observe
 * store's window), over the map as the picture shows it: along a process's
 * edge when one descriptor accounts for the bytes (a wide dashed band and
 * "5 B/s written · fd 1"), else as the whole process's rate above its box
 * ("whole process: 5 B/s written"). Fan members count in their fan's box.
 */
export function drawTraffic(ctx: CanvasRenderingContext2D, input: DrawInput, traffic: TrafficSummary, px: number): void {
  const { layout, t, palette: p } = input;
  const size = SMALL * p.scale;
  const byObject = new Map<string, { bytes: number; fd: number; direction: 'read' | 'write' }>();
  for (const e of traffic.edges.values()) if (e.bytes > 0) byObject.set(`${e.pid}/${e.object}`, e);
  ctx.lineCap = 'round';
  for (const edge of layout.edges) {
    if (!edge.objectId || !edge.unit.startsWith('process:')) continue;
    const moved = byObject.get(`${edge.pid}/${edge.objectId}`);
    if (!moved) continue;
    const colour = edgeColour(moved.direction === 'write' ? 'w' : 'r', p);
    ctx.strokeStyle = colour;
    ctx.globalAlpha = 0.35;
    ctx.lineWidth = Math.max(10 * px, 8);
    ctx.setLineDash([2 * px, 10 * px]);
    ctx.beginPath();
    ctx.moveTo(edge.from.x, edge.from.y);
    ctx.lineTo(edge.to.x, edge.to.y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    const text = t('obsViaFd', { rate: rateText(moved.bytes, traffic.spanMs), direction: t(moved.direction === 'write' ? 'obsWrote' : 'obsRead'), fd: moved.fd });
    // Near the process end, above the line: the "N fds" label sits near the object end.
    pill(ctx, input, text, { x: edge.from.x + (edge.to.x - edge.from.x) * 0.1, y: edge.from.y - size * 1.9 }, colour);
  }
  ctx.lineCap = 'butt';
  // Whole-process rates, summed per unit (a fan's members in its box).
  const perUnit = new Map<string, { read: number; write: number }>();
  if (traffic.processes.size) {
    const unitOf = new Map<number, string>();
    for (const placed of layout.units) {
      if (placed.unit.kind === 'process') unitOf.set(placed.unit.process.pid, placed.unit.key);
      else for (const m of placed.unit.members) unitOf.set(m.pid, placed.unit.key);
    }
    for (const [pid, totals] of traffic.processes) {
      const key = unitOf.get(pid);
      if (!key) continue;
      const sum = perUnit.get(key) ?? { read: 0, write: 0 };
      sum.read += totals.read.bytes;
      sum.write += totals.write.bytes;
      perUnit.set(key, sum);
    }
  }
  ctx.font = `${size}px ${p.mono}`;
  ctx.fillStyle = p.muted;
  ctx.textAlign = 'left';
  for (const placed of layout.units) {
    const sum = perUnit.get(placed.unit.key);
    if (!sum) continue;
    const parts = (['write', 'read'] as const)
      .filter((d) => sum[d] > 0)
      .map((d) => t('obsWholeProcess', { rate: rateText(sum[d], traffic.spanMs), direction: t(d === 'write' ? 'obsWrote' : 'obsRead') }));
    if (parts.length) ctx.fillText(parts.join(' · '), placed.x + 4, placed.y - 5);
  }
}

/** Text on a rounded pill of `colour`, left end at `at` (x) and centred on it (y). */
function pill(ctx: CanvasRenderingContext2D, input: DrawInput, text: string, at: { x: number; y: number }, colour: string): void {
  const p = input.palette;
  const size = SMALL * p.scale;
  ctx.font = `700 ${size}px ${p.mono}`;
  const box: Rect = { x: at.x, y: at.y - size * 0.8, w: ctx.measureText(text).width + size, h: size * 1.6 };
  roundRect(ctx, box, box.h / 2);
  ctx.fillStyle = colour;
  ctx.fill();
  ctx.fillStyle = p.background;
  ctx.textAlign = 'left';
  ctx.fillText(text, box.x + size / 2, at.y + size / 3);
}
