import { FAN_H, type PlacedUnit, type Rect } from './map-geometry';
import type { DiagnosisSeverity } from '../picture/diagnosis-severity';
import { MIN_HEAD_BOX_PX, MIN_LINE_PX, SMALL, TEXT, diagnosisOutline, fitText, headSize, outline, processStroke, roundRect, type DrawInput } from './map-draw-kit';
import type { FanUnit } from './map-group';
import { fanHoldings, fanLines, kindList } from './map-labels';

/** A fan: a stack of cards with its count and states, or, open, a grid of its members coloured by state. */
export function drawFan(ctx: CanvasRenderingContext2D, placed: PlacedUnit, input: DrawInput, flagged: ReadonlyMap<number, DiagnosisSeverity>, showText: boolean, showSmall: boolean, px: number): void {
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
  const severities = fan.members.map((m) => flagged.get(m.pid));
  const fanSeverity = severities.includes('fault') ? 'fault' : severities.includes('notice') ? 'notice' : undefined;
  if (fanSeverity) diagnosisOutline(ctx, head, fanSeverity, p, Math.max(2 * px, 2.5), 8, px);
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
  if (head.w * input.transform.k >= MIN_HEAD_BOX_PX) drawFanHead(ctx, fan, head, input, showText);
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
    const severity = flagged.get(proc.pid);
    if (severity) diagnosisOutline(ctx, m, severity, p, Math.max(2 * px, 2), 2, px);
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

/**
 * The fan's head: its name, then its counts and what its members hold of
 * each other's pipes (the pool's trap), as many lines as its box has room
 * for on screen. The lines keep MIN_LINE_PX on screen (they grow in world
 * units when zoomed out, like the head), so an opened fan, fitted with the
 * map, still says what its members hold: on its own line when there is
 * room, else beside the name on the head line of the wide open fan. The
 * trap goes before the counts when only one fits: the state bar below
 * shows the counts' proportions, nothing else shows the trap.
 */
function drawFanHead(ctx: CanvasRenderingContext2D, fan: FanUnit, head: Rect, input: DrawInput, showText: boolean): void {
  const p = input.palette;
  const k = input.transform.k;
  const size = headSize((TEXT + 2) * p.scale, k);
  const small = Math.max(SMALL * p.scale, MIN_LINE_PX / k);
  const lines = fanLines(fan, input.t);
  const holdings = fanHoldings(fan, input.t);
  const top = head.y + 4 + size;
  // Room above the state bar (its top is 10 world px over the bottom edge).
  const room = head.h - 12 - (top - head.y);
  const fit = Math.max(0, Math.floor(room / (small * 1.3)));
  const below: { text: string; trap: boolean | null }[] = [];
  if (holdings && fit >= 2) below.push({ text: lines.counts, trap: null }, holdings);
  else if (holdings && fit === 1) below.push(holdings);
  else if (fit >= 1) below.push({ text: lines.counts, trap: null });
  ctx.textAlign = 'left';
  ctx.fillStyle = p.text;
  ctx.font = `700 ${size}px ${p.font}`;
  const objects = kindList(fan.objectKinds, input.t);
  const name = fitText(ctx, objects && showText ? `${lines.head}  ·  ${input.t('mapFanObjects', { list: objects })}` : lines.head, head.w - 16);
  ctx.fillText(name, head.x + 8, top);
  const nameEnd = head.x + 8 + ctx.measureText(name).width;
  const trapFont = (trap: boolean) => `${trap ? '700 ' : ''}${small}px ${p.font}`;
  // No line free for the trap: beside the name, right-aligned, when the head is wide enough for both (an open fan).
  if (holdings && !below.includes(holdings)) {
    ctx.font = trapFont(holdings.trap);
    const width = ctx.measureText(holdings.text).width;
    if (nameEnd + 2 * size + width <= head.x + head.w - 8) {
      ctx.fillStyle = holdings.trap ? p.eof : p.muted;
      ctx.textAlign = 'right';
      ctx.fillText(holdings.text, head.x + head.w - 8, top);
      ctx.textAlign = 'left';
    }
  }
  below.forEach((line, i) => {
    const y = top + (i + 1) * small * 1.3;
    // Counts in the blocked colour when any member is asleep; the trap in the diagnosis colour when they hold siblings' write ends.
    ctx.fillStyle = line.trap === null ? (fan.counts.blockedTotal ? p.blocked : p.muted) : line.trap ? p.eof : p.muted;
    ctx.font = line.trap === null ? `${small}px ${p.font}` : trapFont(line.trap);
    ctx.fillText(fitText(ctx, line.text, head.w - 16), head.x + 8, y);
  });
}
