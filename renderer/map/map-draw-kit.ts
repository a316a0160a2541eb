import type { Diagnosis } from '../../native-bridge/model/diagnosis-types';
import type { Access, ObjectKind, ProcessInfo } from '../../native-bridge/model/snapshot-types';
import type { Translate } from '../i18n/strings';
import type { TrafficSummary } from '../observe/recent-traffic';
import { NOTICE_DASH, severityColour, type DiagnosisSeverity } from '../picture/diagnosis-severity';
import type { Palette } from '../picture/palette';
import type { MapLayout, Point, Rect } from './map-geometry';

/** What every part of the map's painting shares: its input, sizes and small canvas helpers. */

export interface ViewTransform {
  /** d3-zoom's k, x, y: screen = world * k + (x, y), in CSS pixels. */
  k: number;
  x: number;
  y: number;
}

export interface DrawInput {
  layout: MapLayout;
  transform: ViewTransform;
  /** Canvas size in CSS pixels. */
  width: number;
  height: number;
  dpr: number;
  palette: Palette;
  t: Translate;
  selection: string | null;
  hovered: string | null;
  /** PIDs matching the search box. */
  matches: ReadonlySet<number>;
  hiddenKinds: ReadonlySet<ObjectKind>;
  diagnoses: Diagnosis[];
  /** What moved between the last frames of an observation (/proc/PID/io), or null (a lesson, or nothing yet). */
  traffic?: TrafficSummary | null;
}

/** Smallest on-screen text size (CSS px) worth drawing: below it a label is noise. */
export const MIN_TEXT_PX = 7;
/** A fan head's counts and trap lines never shrink below this on screen (they are the fan's point). */
export const MIN_LINE_PX = 10;
/** Heads of processes and fans never shrink below this on screen (a projector at the back of a room)... */
export const MIN_HEAD_PX = 12;
/** ...and are drawn when their box is at least this wide on screen. */
export const MIN_HEAD_BOX_PX = 70;

/** World font size for a head: its natural size, or larger when zoomed out, so it stays readable. */
export function headSize(natural: number, k: number): number {
  return Math.max(natural, MIN_HEAD_PX / k);
}
export const TEXT = 13;
export const SMALL = 11;

export function visible(r: Rect, view: Rect): boolean {
  return r.x + r.w >= view.x && r.x <= view.x + view.w && r.y + r.h >= view.y && r.y <= view.y + view.h;
}

export function roundRect(ctx: CanvasRenderingContext2D, r: Rect, radius: number): void {
  ctx.beginPath();
  ctx.roundRect(r.x, r.y, r.w, r.h, radius);
}

export function edgeColour(access: Access, p: Palette): string {
  return access === 'r' ? p.readEdge : access === 'w' ? p.writeEdge : p.otherEdge;
}

export function processStroke(proc: ProcessInfo, p: Palette): string {
  if (proc.blocked) return p.blocked;
  if (proc.state === 'R') return p.running;
  return p.nodeStroke;
}

/** Text clipped to a width with an ellipsis (measureText is cheap against a few hundred labels). */
export function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

/**
 * A diagnosis's outline round a box: red and solid for a fault, amber and
 * dashed for a notice (picture/diagnosis-severity.ts), in screen pixels.
 */
export function diagnosisOutline(ctx: CanvasRenderingContext2D, r: Rect, severity: DiagnosisSeverity, p: Palette, width: number, radius: number, px: number): void {
  if (severity === 'notice') ctx.setLineDash(NOTICE_DASH.map((n) => n * px));
  outline(ctx, r, severityColour(severity, p), severity === 'notice' ? width * 0.8 : width, radius);
  ctx.setLineDash([]);
}

export function outline(ctx: CanvasRenderingContext2D, r: Rect, colour: string, width: number, radius: number): void {
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  roundRect(ctx, { x: r.x - width, y: r.y - width, w: r.w + 2 * width, h: r.h + 2 * width }, radius + width);
  ctx.stroke();
}

/** An edge's curve: a horizontal S between two columns, or a bow out to the right (`bulge`) within one. */
export function curve(ctx: CanvasRenderingContext2D, from: { x: number; y: number }, to: { x: number; y: number }, bulge?: number): void {
  ctx.moveTo(from.x, from.y);
  if (bulge !== undefined) {
    ctx.bezierCurveTo(from.x + bulge, from.y, to.x + bulge, to.y, to.x, to.y);
    return;
  }
  const dx = (to.x - from.x) * 0.5;
  ctx.bezierCurveTo(from.x + dx, from.y, to.x - dx, to.y, to.x, to.y);
}

/** Where a diagnosis other than a deadlock writes its name (left end, baseline): above its first process, else its first object. */
export function diagnosisNameAt(d: Diagnosis, layout: MapLayout): Point | null {
  const first = d.processes.map((pid) => layout.processAt.get(pid)).find((r): r is Rect => !!r) ?? (d.objects[0] ? layout.objectAt.get(d.objects[0]) : undefined);
  return first ? { x: first.x, y: first.y - 6 } : null;
}
