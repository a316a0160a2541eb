import { MIN_HEAD_BOX_PX, type DrawInput } from './map-draw-kit';
import type { PlacedUnit } from './map-geometry';

/**
 * Names at a far zoom: when the map is fitted to show a whole machine, its
 * boxes are too small on screen for their heads (MIN_HEAD_BOX_PX), and the
 * picture is a field of blank boxes. Each process's name (a fan's "N × comm")
 * is then written on its box at FAR_NAME_PX, on a backing, wherever it
 * covers no other such name: the most telling first (found by the search,
 * selected, in a diagnosis, a fan), then from the top left. Nothing that
 * changes from one sample to the next (blocked or running) decides which
 * names show: positions are stable, so the names are too, instead of
 * flickering at the sampling rate. Drawn in screen pixels, after everything
 * else.
 */

/** On-screen size of a far name (CSS px, times the palette's scale): a projector's back row. */
export const FAR_NAME_PX = 11;

interface Label {
  x: number;
  y: number;
  w: number;
  h: number;
}

function rank(placed: PlacedUnit, input: DrawInput, flagged: { has(pid: number): boolean }): number {
  if (placed.unit.kind === 'fan') return 4;
  const proc = placed.unit.process;
  if (input.matches.has(proc.pid)) return 0;
  if (input.selection === `process:${proc.pid}`) return 1;
  if (flagged.has(proc.pid)) return 2;
  return 5;
}

/** A 32 px grid of the labels already placed: a new one is checked against its few neighbours only. */
class LabelGrid {
  private readonly cells = new Map<string, Label[]>();
  private keys(r: Label): string[] {
    const out: string[] = [];
    for (let gx = Math.floor(r.x / 32); gx <= Math.floor((r.x + r.w) / 32); gx += 1) for (let gy = Math.floor(r.y / 32); gy <= Math.floor((r.y + r.h) / 32); gy += 1) out.push(`${gx},${gy}`);
    return out;
  }
  free(r: Label): boolean {
    return this.keys(r).every((key) => !(this.cells.get(key) ?? []).some((o) => r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h));
  }
  add(r: Label): void {
    for (const key of this.keys(r)) {
      const list = this.cells.get(key) ?? [];
      list.push(r);
      this.cells.set(key, list);
    }
  }
}

/** Writes the far names; returns how many were written (for tests). */
export function drawFarNames(ctx: CanvasRenderingContext2D, input: DrawInput, flagged: { has(pid: number): boolean }): number {
  const { transform: tf, width, height, dpr, palette: p } = input;
  const size = FAR_NAME_PX * p.scale;
  const candidates: { placed: PlacedUnit; rank: number }[] = [];
  for (const placed of input.layout.units) {
    if (placed.w * tf.k >= MIN_HEAD_BOX_PX || placed.members.length > 0) continue;
    const x = placed.x * tf.k + tf.x;
    const y = placed.y * tf.k + tf.y;
    if (x > width || y > height || x + placed.w * tf.k < 0 || y + placed.h * tf.k < 0) continue;
    candidates.push({ placed, rank: rank(placed, input, flagged) });
  }
  if (candidates.length === 0) return 0;
  candidates.sort((a, b) => a.rank - b.rank || a.placed.y - b.placed.y || a.placed.x - b.placed.x);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = `600 ${size}px ${p.font}`;
  ctx.textAlign = 'left';
  const grid = new LabelGrid();
  let written = 0;
  for (const { placed } of candidates) {
    const unit = placed.unit;
    const text = unit.kind === 'fan' ? `${unit.members.length} × ${unit.comm}` : unit.process.comm;
    const w = ctx.measureText(text).width + 6;
    const h = size + 4;
    // on the box's left end, centred on its height (a far box is a few pixels tall)
    const label = { x: placed.x * tf.k + tf.x, y: placed.y * tf.k + tf.y + (Math.min(placed.h, 80) * tf.k - h) / 2, w, h };
    if (!grid.free(label)) continue;
    grid.add(label);
    ctx.globalAlpha = 0.85;
    ctx.fillStyle = p.node;
    ctx.beginPath();
    ctx.roundRect(label.x, label.y, label.w, label.h, 3);
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.fillStyle = p.text;
    ctx.fillText(text, label.x + 3, label.y + h - 4 - size * 0.12);
    written += 1;
  }
  return written;
}
