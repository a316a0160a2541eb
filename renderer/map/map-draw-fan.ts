import { FAN_H, type PlacedUnit, type Rect } from './map-geometry';
import { MIN_HEAD_BOX_PX, SMALL, TEXT, fitText, headSize, outline, processStroke, roundRect, type DrawInput } from './map-draw-kit';
import { fanHoldings, fanLines, kindList } from './map-labels';

/** A fan: a stack of cards with its count and states, or, open, a grid of its members coloured by state. */
export function drawFan(ctx: CanvasRenderingContext2D, placed: PlacedUnit, input: DrawInput, flagged: Set<number>, showText: boolean, showSmall: boolean, px: number): void {
  const fan = placed.unit;
  if (fan.kind !== 'fan') return;
  const p = input.palette;
  const head: Rect = { x: placed.x, y: placed.y, w: placed.w, h: FAN_H };
  // Two cards behind the first say "many of these".
  if (!fan.expanded) {
    for (const off of [8, 4]) {
      roundRect(ctx, { ...head, x: head.x + off, y: head.y + off }, 8);
      ctx.fillStyle = p.node;
      ctx.fill();
      ctx.strokeStyle = p.nodeStroke;
      ctx.lineWidth = px;
      ctx.stroke();
    }
  }
  roundRect(ctx, head, 8);
  ctx.fillStyle = p.node;
  ctx.fill();
  const { counts } = fan;
  ctx.strokeStyle = counts.blockedTotal ? p.blocked : p.nodeStroke;
  ctx.lineWidth = Math.max(px, 2);
  ctx.stroke();
  if (fan.members.some((m) => flagged.has(m.pid))) outline(ctx, head, p.eof, Math.max(2 * px, 2.5), 8);
  if (fan.members.some((m) => input.matches.has(m.pid))) outline(ctx, head, p.flight, Math.max(2 * px, 3), 8);
  // A selected member hidden in a closed fan: the fan carries its mark.
  const selectedInside = !fan.expanded && !!input.selection?.startsWith('process:') && fan.members.some((m) => `process:${m.pid}` === input.selection);
  if (input.hovered === fan.key || selectedInside) outline(ctx, head, p.lessonAccent, Math.max(px, selectedInside ? 3 : 1.5), 8);
  // A bar split by state: blocked, running, the rest.
  const bar: Rect = { x: head.x + 8, y: head.y + head.h - 10, w: head.w - 16, h: 4 };
  const total = Math.max(1, counts.total);
  let x = bar.x;
  for (const [n, colour] of [[counts.blockedTotal, p.blocked], [counts.running, p.running], [counts.other, p.nodeStroke]] as const) {
    const w = (bar.w * n) / total;
    ctx.fillStyle = colour;
    ctx.fillRect(x, bar.y, w, bar.h);
    x += w;
  }
  const k = input.transform.k;
  if (head.w * k >= MIN_HEAD_BOX_PX) {
    const lines = fanLines(fan, input.t);
    const scale = p.scale;
    const size = headSize((TEXT + 2) * scale, k);
    ctx.textAlign = 'left';
    ctx.fillStyle = p.text;
    ctx.font = `700 ${size}px ${p.font}`;
    const objects = kindList(fan.objectKinds, input.t);
    ctx.fillText(fitText(ctx, objects && showText ? `${lines.head}  ·  ${input.t('mapFanObjects', { list: objects })}` : lines.head, head.w - 16), head.x + 8, head.y + Math.min(head.h / 2 + size / 3, 6 + size));
    if (showSmall && showText) {
      ctx.font = `${SMALL * scale}px ${p.font}`;
      ctx.fillStyle = counts.blockedTotal ? p.blocked : p.muted;
      const countsY = head.y + 10 + (TEXT + 2) * scale + SMALL * scale;
      ctx.fillText(fitText(ctx, lines.counts, head.w - 16), head.x + 8, countsY);
      // The seed's trap, from the members' own descriptors: in the diagnosis colour when they hold siblings' write ends.
      const holdings = fanHoldings(fan, input.t);
      if (holdings) {
        ctx.fillStyle = holdings.trap ? p.eof : p.muted;
        ctx.font = `${holdings.trap ? '700 ' : ''}${SMALL * scale}px ${p.font}`;
        ctx.fillText(fitText(ctx, holdings.text, head.w - 16), head.x + 8, countsY + SMALL * scale + 5);
      }
    }
  }
  for (const m of placed.members) {
    const proc = m.process;
    const id = `process:${proc.pid}`;
    ctx.fillStyle = p.node;
    ctx.fillRect(m.x, m.y, m.w, m.h);
    ctx.strokeStyle = processStroke(proc, p);
    ctx.lineWidth = Math.max(px, proc.blocked ? 1.5 : 1);
    ctx.strokeRect(m.x, m.y, m.w, m.h);
    // The member's own object: a mark, filled when bytes wait in it.
    if (m.objects.length) {
      ctx.fillStyle = m.objects.some((o) => (o.queued ?? 0) > 0) ? p.slotFill : p.slotEmpty;
      ctx.fillRect(m.x + m.w - 10, m.y + 3, 7, m.h - 6);
    }
    if (flagged.has(proc.pid)) outline(ctx, m, p.eof, Math.max(2 * px, 2), 2);
    if (input.matches.has(proc.pid)) outline(ctx, m, p.flight, Math.max(2 * px, 2), 2);
    if (input.selection === id) {
      ctx.fillStyle = p.lessonAccent;
      ctx.globalAlpha = 0.35;
      ctx.fillRect(m.x, m.y, m.w, m.h);
      ctx.globalAlpha = 1;
    }
    if (input.selection === id || input.hovered === id) outline(ctx, m, p.lessonAccent, Math.max(3 * px, 3), 2);
    if (showSmall) {
      ctx.font = `${SMALL * p.scale}px ${p.mono}`;
      ctx.fillStyle = p.text;
      ctx.fillText(String(proc.pid), m.x + 4, m.y + SMALL * p.scale + 2);
    }
  }
}
