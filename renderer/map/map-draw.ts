import type { ProcessInfo } from '../../native-bridge/model/snapshot-types';
import { diagnosisSeverity, severityColour, severityOfItems, type DiagnosisSeverity } from '../picture/diagnosis-severity';
import { drawDeadlock } from './map-draw-deadlock';
import { drawFan } from './map-draw-fan';
import { drawFarNames } from './map-draw-far-names';
import { drawTraffic } from './map-draw-traffic';
import {
  MIN_HEAD_BOX_PX,
  MIN_TEXT_PX,
  SMALL,
  TEXT,
  curve,
  diagnosisNameAt,
  diagnosisOutline,
  edgeColour,
  fitText,
  headSize,
  outline,
  processStroke,
  roundRect,
  visible,
  type DrawInput,
} from './map-draw-kit';
import type { PlacedObject, Rect } from './map-geometry';
import { diagnosisName, objectLines, processLines } from './map-labels';

export type { DrawInput, ViewTransform } from './map-draw-kit';

/**
 * Paints one map layout on a 2D canvas: the only code that touches the
 * map's pixels. World coordinates go through the zoom transform; text is
 * drawn after the transform, so the canvas rasterises it at the device's
 * pixels (crisp at any devicePixelRatio and zoom). Level of detail: below a
 * readable on-screen size, text is left out and boxes stay.
 */

export function drawMap(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  const { layout, transform: tf, width, height, dpr, palette: p, t } = input;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, width, height);
  ctx.setTransform(dpr * tf.k, 0, 0, dpr * tf.k, dpr * tf.x, dpr * tf.y);
  const view: Rect = { x: -tf.x / tf.k, y: -tf.y / tf.k, w: width / tf.k, h: height / tf.k };
  const scale = p.scale;
  const showText = TEXT * scale * tf.k >= MIN_TEXT_PX;
  const showSmall = SMALL * scale * tf.k >= MIN_TEXT_PX;
  const px = 1 / tf.k;
  const flagged = severityOfItems(input.diagnoses);

  // The process tree, faint, behind everything.
  ctx.strokeStyle = p.nodeStroke;
  ctx.globalAlpha = 0.5;
  ctx.lineWidth = px;
  ctx.beginPath();
  for (const link of layout.links) {
    ctx.moveTo(link.from.x, link.from.y);
    ctx.lineTo(link.from.x, link.to.y);
    ctx.lineTo(link.to.x, link.to.y);
  }
  ctx.stroke();
  ctx.globalAlpha = 1;

  // Descriptor edges: quiet ones batched by colour, blocked ones loud and on top.
  const quiet = new Map<string, typeof layout.edges>();
  const loud: typeof layout.edges = [];
  const hiddenObjects = new Set(layout.objects.filter((o) => input.hiddenKinds.has(o.object.kind)).map((o) => o.object.id));
  for (const edge of layout.edges) {
    if (edge.objectId && hiddenObjects.has(edge.objectId)) continue;
    if (edge.blocked) loud.push(edge);
    else {
      const colour = edgeColour(edge.access, p);
      const list = quiet.get(colour) ?? [];
      list.push(edge);
      quiet.set(colour, list);
    }
  }
  ctx.lineWidth = Math.max(px, 1.2);
  for (const [colour, list] of quiet) {
    ctx.strokeStyle = colour;
    ctx.globalAlpha = 0.7;
    ctx.beginPath();
    for (const e of list) curve(ctx, e.from, e.to, e.bulge);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  drawSelectedEdges(ctx, input, hiddenObjects, px);
  ctx.strokeStyle = p.blocked;
  ctx.lineWidth = Math.max(3 * px, 3);
  ctx.beginPath();
  for (const e of loud) curve(ctx, e.from, e.to);
  ctx.stroke();
  if (showSmall) {
    ctx.font = `${SMALL * scale}px ${p.font}`;
    ctx.fillStyle = p.muted;
    ctx.textAlign = 'center';
    for (const e of layout.edges) {
      if (e.count > 1 && visible({ x: Math.min(e.from.x, e.to.x), y: Math.min(e.from.y, e.to.y), w: Math.abs(e.to.x - e.from.x), h: Math.abs(e.to.y - e.from.y) + 1 }, view)) {
        // Near the object end: the middle of a long edge often lies under another box.
        const at = e.bulge !== undefined ? { x: e.from.x + e.bulge * 0.75 + 4, y: (e.from.y + e.to.y) / 2 } : { x: e.from.x + (e.to.x - e.from.x) * 0.78, y: e.from.y + (e.to.y - e.from.y) * 0.78 - 4 };
        ctx.textAlign = e.bulge !== undefined ? 'left' : 'center';
        ctx.fillText(t('mapFds', { count: e.count }), at.x, at.y);
      }
    }
  }

  // Holes left by gone units: a dashed outline, so the eye sees why there is a gap.
  ctx.setLineDash([4 * px, 4 * px]);
  ctx.strokeStyle = p.nodeStroke;
  ctx.lineWidth = px;
  for (const hole of layout.holes) if (visible(hole, view)) ctx.strokeRect(hole.x, hole.y, hole.w, hole.h);
  ctx.setLineDash([]);

  for (const placed of layout.objects) {
    if (input.hiddenKinds.has(placed.object.kind) || !visible(placed, view)) continue;
    drawObject(ctx, placed, input, flagged.objects.get(placed.object.id), showText, showSmall, px);
  }
  for (const placed of layout.units) {
    if (!visible(placed, view)) continue;
    if (placed.unit.kind === 'process') drawProcess(ctx, placed, placed.unit.process, input, flagged.processes, showText, showSmall, px);
    else drawFan(ctx, placed, input, flagged.processes, showText, showSmall, px);
  }
  if (input.traffic && showSmall) drawTraffic(ctx, input, input.traffic, px);
  drawDeadlocks(ctx, input, px);
  // last, in screen pixels: names on boxes too small for their heads
  drawFarNames(ctx, input, flagged.processes);
}

/**
 * The selected process's or object's edges, strong, so the eye finds its
 * holders (or what it holds) among hundreds of thin lines: a halo in the
 * selection's colour under the edge's own colour, opaque and wider. Blocked
 * ones are drawn loud over it afterwards.
 */
function drawSelectedEdges(ctx: CanvasRenderingContext2D, input: DrawInput, hiddenObjects: ReadonlySet<string>, px: number): void {
  const { selection, palette: p } = input;
  if (!selection) return;
  const chosen = input.layout.edges.filter((e) => (e.unit === selection || e.objectId === selection) && !(e.objectId && hiddenObjects.has(e.objectId)));
  if (!chosen.length) return;
  ctx.strokeStyle = p.lessonAccent;
  ctx.globalAlpha = 0.35;
  ctx.lineWidth = Math.max(8 * px, 7);
  ctx.beginPath();
  for (const e of chosen) curve(ctx, e.from, e.to, e.bulge);
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.lineWidth = Math.max(2.5 * px, 2.5);
  for (const e of chosen) {
    ctx.strokeStyle = edgeColour(e.access, p);
    ctx.beginPath();
    curve(ctx, e.from, e.to, e.bulge);
    ctx.stroke();
  }
}

function drawProcess(ctx: CanvasRenderingContext2D, r: Rect, proc: ProcessInfo, input: DrawInput, flagged: ReadonlyMap<number, DiagnosisSeverity>, showText: boolean, showSmall: boolean, px: number): void {
  const p = input.palette;
  const id = `process:${proc.pid}`;
  roundRect(ctx, r, 6);
  ctx.fillStyle = p.node;
  ctx.fill();
  ctx.strokeStyle = processStroke(proc, p);
  ctx.lineWidth = Math.max(px, proc.blocked ? 2 : 1);
  ctx.stroke();
  const severity = flagged.get(proc.pid);
  if (severity) diagnosisOutline(ctx, r, severity, p, Math.max(2 * px, 2.5), 6, px);
  if (input.matches.has(proc.pid)) outline(ctx, r, p.flight, Math.max(2 * px, 3), 6);
  if (input.selection === id || input.hovered === id) outline(ctx, r, p.lessonAccent, Math.max(2 * px, input.selection === id ? 3 : 1.5), 6);
  const k = input.transform.k;
  if (r.w * k < MIN_HEAD_BOX_PX) return;
  const { head, call } = processLines(proc);
  const scale = p.scale;
  const size = headSize(TEXT * scale, k);
  ctx.textAlign = 'left';
  ctx.fillStyle = p.text;
  ctx.font = `600 ${size}px ${p.font}`;
  ctx.fillText(fitText(ctx, head, r.w - 16), r.x + 8, r.y + Math.min(r.h / 2 + size / 3, 8 + size));
  if (!showText) return;
  if (call && showSmall) {
    ctx.font = `${SMALL * scale}px ${p.mono}`;
    ctx.fillStyle = proc.blocked ? p.blocked : p.running;
    const line = proc.blocked ? `${call} · ${proc.blocked.wchan}` : call;
    ctx.fillText(fitText(ctx, line, r.w - 16), r.x + 8, r.y + r.h - 8);
  }
}

function drawObject(ctx: CanvasRenderingContext2D, placed: PlacedObject, input: DrawInput, flagged: DiagnosisSeverity | undefined, showText: boolean, showSmall: boolean, px: number): void {
  const p = input.palette;
  const o = placed.object;
  roundRect(ctx, placed, 4);
  ctx.fillStyle = p.slotEmpty;
  ctx.fill();
  // Pipes and FIFOs show their fill as a bar: queued / capacity.
  if ((o.kind === 'pipe' || o.kind === 'fifo') && o.capacity && o.queued) {
    ctx.fillStyle = p.slotFill;
    ctx.fillRect(placed.x, placed.y + placed.h - 5, (placed.w * Math.min(o.queued, o.capacity)) / o.capacity, 5);
  }
  ctx.strokeStyle = o.stale ? p.muted : p.slotStroke;
  ctx.lineWidth = px;
  // The end of a socket held only off the map: dashed and muted under its peer (its tooltip says whose it is).
  if (placed.outsidePeer) ctx.setLineDash([3 * px, 3 * px]);
  roundRect(ctx, placed, 4);
  ctx.stroke();
  ctx.setLineDash([]);
  if (flagged) diagnosisOutline(ctx, placed, flagged, p, Math.max(2 * px, 2.5), 4, px);
  if (input.selection === o.id || input.hovered === o.id) outline(ctx, placed, p.lessonAccent, Math.max(2 * px, 2), 4);
  const k = input.transform.k;
  if (placed.w * k < MIN_HEAD_BOX_PX) return;
  const { head, detail } = objectLines(o, input.t, placed.outsidePeer);
  const size = headSize(SMALL * p.scale, k);
  ctx.textAlign = 'left';
  ctx.fillStyle = placed.outsidePeer ? p.muted : p.text;
  ctx.font = `${size}px ${p.mono}`;
  ctx.fillText(fitText(ctx, head, placed.w - 8), placed.x + 4, placed.y + Math.min(placed.h / 2 + size / 3, size + 1));
  // The head keeps a readable size when zoomed out (it grows in world units): the detail line only where both fit.
  if (detail && showSmall && showText && 2 * size + 6 <= placed.h) {
    ctx.fillStyle = p.muted;
    ctx.fillText(fitText(ctx, detail, placed.w - 8), placed.x + 4, placed.y + placed.h - 6);
  }
}

/**
 * A deadlock is drawn joining only its members (map-draw-deadlock.ts). Other
 * diagnoses are named above their first member (their outlines are drawn
 * with the items).
 */
function drawDeadlocks(ctx: CanvasRenderingContext2D, input: DrawInput, px: number): void {
  const p = input.palette;
  for (const d of input.diagnoses) {
    if (d.kind === 'deadlock') {
      drawDeadlock(ctx, d, input, px);
      continue;
    }
    const at = diagnosisNameAt(d, input.layout);
    if (!at) continue;
    ctx.font = `700 ${SMALL * p.scale}px ${p.font}`;
    ctx.fillStyle = severityColour(diagnosisSeverity(d.kind), p);
    ctx.textAlign = 'left';
    ctx.fillText(diagnosisName(d.kind, input.t), at.x, at.y);
  }
}
