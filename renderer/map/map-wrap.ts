import { FIT_MARGIN, MAX_FIT_ZOOM } from './map-viewport';

/**
 * How the map's columns (depths in the process tree) wrap so that at Fit the
 * map takes the canvas's shape: a deep tree on a wide machine is otherwise
 * one long low strip of tiny boxes. Two moves, chosen together for the
 * largest zoom Fit can reach:
 * - a column taller than a cap continues in a second (third ...) column of
 *   its width beside it, its slots in the same order (a long list of sibling
 *   shells reads on, top to bottom, then left to right);
 * - consecutive columns group into bands, one under the other; each band
 *   starts again at the left, under the tallest piece of the band above.
 */

export interface ColumnBox {
  column: number;
  width: number;
  /** Heights of the column's slots, top to bottom. */
  slots: number[];
}

export interface Wrap {
  /** Column numbers of each band, left to right. */
  bands: number[][];
  /** A column continues beside itself past this height (Infinity: never). */
  cap: number;
}

/** Where each slot of a column goes once it is cut at the cap. */
export interface ColumnPieces {
  /** Pieces the column is cut into, side by side. */
  pieces: number;
  /** Height of its tallest piece. */
  tallest: number;
  /** Piece and y inside it of each slot, in slot order. */
  at: { piece: number; y: number }[];
}

/** World px between one band's tallest piece and the next band's top. */
export const BAND_GAP = 60;
/** A wrap must make Fit's zoom this much larger than the plain layout, or the plain layout stays. */
export const WRAP_GAIN = 1.15;
/**
 * A map that fits unwrapped at this zoom or more is not wrapped: its text
 * already reads (a lesson's few processes, a pool's parent and its fan), and
 * left to right is how its descriptors are drawn.
 */
export const WRAP_BELOW_ZOOM = 0.8;
/** Most caps tried (a whole machine's tallest column has a hundred slots or so). */
const MAX_CAPS = 48;

/** The column cut at `cap`: a slot that would end past it starts the next piece (a slot taller than the cap has a piece of its own). */
export function cutColumn(slots: number[], cap: number): ColumnPieces {
  const at: { piece: number; y: number }[] = [];
  let piece = 0;
  let y = 0;
  let tallest = 0;
  for (const h of slots) {
    if (y > 0 && y + h > cap) {
      piece += 1;
      y = 0;
    }
    at.push({ piece, y });
    y += h;
    tallest = Math.max(tallest, y);
  }
  return { pieces: Math.max(1, piece + 1), tallest, at };
}

interface Cut {
  column: number;
  width: number;
  height: number;
}

/** Bands of a greedy left-to-right fill where no band of two columns or more is wider than `limit`; `glued` (the unheld objects) never ends a band. */
function fill(columns: Cut[], limit: number, glued: number | null): Cut[][] {
  const bands: Cut[][] = [];
  let current: Cut[] = [];
  let width = 0;
  for (const c of columns) {
    const onlyGlued = current.length === 1 && current[0]!.column === glued;
    if (current.length > 0 && !onlyGlued && width + c.width > limit) {
      bands.push(current);
      current = [];
      width = 0;
    }
    current.push(c);
    width += c.width;
  }
  if (current.length) bands.push(current);
  return bands;
}

/**
 * The zoom Fit reaches for these bands on a `width` x `height` canvas
 * (map-viewport fitTransform). Every band starts at x 0; the glued column
 * sits left of it, so it widens the whole map, not only the first band.
 */
function bandsZoom(bands: Cut[][], width: number, height: number, glued: number | null): number {
  let w = 0;
  let left = 0;
  let h = 0;
  for (const band of bands) {
    let bandWidth = 0;
    for (const c of band) {
      if (c.column === glued) left = c.width;
      else bandWidth += c.width;
    }
    w = Math.max(w, bandWidth);
    h += Math.max(0, ...band.map((c) => c.height));
  }
  w += left;
  h += BAND_GAP * Math.max(0, bands.length - 1);
  if (w <= 0 || h <= 0) return MAX_FIT_ZOOM;
  return Math.min(MAX_FIT_ZOOM, (width - 2 * FIT_MARGIN) / w, (height - 2 * FIT_MARGIN) / h);
}

/** Heights worth trying as the cap: where a slot of some column ends, thinned to MAX_CAPS. */
function capsToTry(columns: ColumnBox[]): number[] {
  const ends = new Set<number>();
  for (const c of columns) {
    let y = 0;
    for (const h of c.slots) ends.add((y += h));
  }
  const sorted = [...ends].sort((a, b) => a - b);
  if (sorted.length <= MAX_CAPS) return sorted;
  return Array.from({ length: MAX_CAPS }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / MAX_CAPS) - 1]!);
}

/**
 * The wrap of these columns with the largest zoom at Fit on a `width` x
 * `height` canvas. `glued` is a column that stays with the first band (the
 * unheld objects, left of the roots). Every cap where a slot ends and every
 * greedy band fill whose width limit is the width of a run of consecutive
 * columns are tried: n is the tree's depth, tens at most.
 */
export function chooseWrap(columns: ColumnBox[], width: number, height: number, glued: number | null = null): Wrap {
  const sorted = [...columns].sort((a, b) => a.column - b.column);
  const plain: Wrap = { bands: [sorted.map((c) => c.column)], cap: Infinity };
  if (sorted.length === 0 || width <= 2 * FIT_MARGIN || height <= 2 * FIT_MARGIN) return plain;
  const cutAt = (cap: number): Cut[] =>
    sorted.map((c) => {
      const cut = cutColumn(c.slots, cap);
      return { column: c.column, width: c.width * cut.pieces, height: cut.tallest };
    });
  const unwrapped = cutAt(Infinity);
  const plainZoom = bandsZoom([unwrapped], width, height, glued);
  if (plainZoom >= WRAP_BELOW_ZOOM) return plain;
  let best = { wrap: plain, zoom: 0, changes: 0 };
  for (const cap of [Infinity, ...capsToTry(sorted)]) {
    const cuts = cutAt(cap);
    const pieces = cuts.reduce((n, c, i) => n + c.width / sorted[i]!.width - 1, 0);
    const limits = new Set<number>();
    for (let i = 0; i < cuts.length; i += 1) {
      let run = 0;
      for (let j = i; j < cuts.length; j += 1) limits.add((run += cuts[j]!.width));
    }
    for (const limit of limits) {
      const bands = fill(cuts, limit, glued);
      const zoom = bandsZoom(bands, width, height, glued);
      const changes = bands.length - 1 + pieces;
      if (zoom > best.zoom || (zoom === best.zoom && changes < best.changes)) best = { wrap: { bands: bands.map((band) => band.map((c) => c.column)), cap }, zoom, changes };
    }
  }
  // wrapping has to pay for itself: a map it hardly enlarges stays as it is
  if (best.zoom < plainZoom * WRAP_GAIN) return plain;
  return best.wrap;
}
