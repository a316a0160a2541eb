import type { IpcObject } from '../../native-bridge/model/snapshot-types';

/**
 * How an edge reaches its object without crossing another object's glyph.
 * Objects stack in the picture's middle column, processes sit left and
 * right of it; the straight way from a node to an object two rows away runs
 * through the glyph between them (and so does the traffic drawn along it).
 * Such an edge goes down the gutter beside the column first and turns in at
 * its object's own row, reaching the glyph's side.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Cubic {
  from: Point;
  c1: Point;
  c2: Point;
  to: Point;
}

/** Glyph sizes around the object's centre (glyphs/*.tsx): a pipe ring with its background disc and its slot line under it, a socket pair's two boxes under their title, a listener, a TCP connection. */
const RING_DISC = 134;
const RING_LABEL_BELOW = 160;
const PAIR_HALF_WIDTH = 234;
const PAIR_ABOVE = 96;
const PAIR_BELOW = 70;
const LISTENER_HALF_WIDTH = 135;
const LISTENER_HALF_HEIGHT = 95;

/** The box a glyph covers, in picture units. */
export function glyphBox(object: IpcObject, x: number, y: number): Box {
  const socket = object.kind === 'unix' || object.kind === 'tcp';
  if (socket && object.state === 'LISTEN') return { x: x - LISTENER_HALF_WIDTH, y: y - LISTENER_HALF_HEIGHT, width: 2 * LISTENER_HALF_WIDTH, height: 2 * LISTENER_HALF_HEIGHT };
  if (socket) return { x: x - PAIR_HALF_WIDTH, y: y - PAIR_ABOVE, width: 2 * PAIR_HALF_WIDTH, height: PAIR_ABOVE + PAIR_BELOW };
  return { x: x - RING_DISC, y: y - RING_DISC, width: 2 * RING_DISC, height: RING_DISC + RING_LABEL_BELOW };
}

export function pointOnCubic(c: Cubic, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const d = 3 * u * t * t;
  const e = t * t * t;
  return { x: a * c.from.x + b * c.c1.x + d * c.c2.x + e * c.to.x, y: a * c.from.y + b * c.c1.y + d * c.c2.y + e * c.to.y };
}

const inside = (p: Point, b: Box): boolean => p.x > b.x && p.x < b.x + b.width && p.y > b.y && p.y < b.y + b.height;

/** Whether the curve passes through any of `boxes` (sampled finely: a glyph is far wider than a step). */
export function crossesAny(c: Cubic, boxes: Box[], samples = 64): boolean {
  for (let i = 1; i < samples; i += 1) {
    const p = pointOnCubic(c, i / samples);
    if (boxes.some((b) => inside(p, b))) return true;
  }
  return false;
}

/** How far into the gutter beside the column the way round runs: clear of the nodes' sides, short of a socket pair's boxes (28 units away). */
const GUTTER_IN = 12;

/** Lanes in the gutter at least this far from the nodes' side and from the column's glyphs, and at most this far apart. */
const LANE_MARGIN = 4;
const LANE_STEP = 14;

/**
 * How far into the gutter each edge going round on one side runs (`dir` 1:
 * the left side), in the order given: the edge that turns in soonest takes
 * the lane nearest the column, so no edge turning in crosses another's run.
 * `column`: the glyphs' boxes, whose nearest side bounds the gutter.
 */
export function gutterLanes(routes: { from: Point; toY: number }[], column: Box[], dir: 1 | -1): number[] {
  if (routes.length < 2 || column.length === 0) return routes.map(() => GUTTER_IN);
  const side = dir === 1 ? Math.min(...column.map((b) => b.x)) : Math.max(...column.map((b) => b.x + b.width));
  const width = Math.min(...routes.map((r) => dir * (side - r.from.x)));
  const span = Math.min((routes.length - 1) * LANE_STEP, width - 2 * LANE_MARGIN);
  if (span <= 0) return routes.map(() => GUTTER_IN);
  const order = routes.map((r, i) => ({ i, reach: Math.abs(r.toY - r.from.y), toY: r.toY })).sort((a, b) => a.reach - b.reach || a.toY - b.toY || a.i - b.i);
  const lanes = new Array<number>(routes.length);
  order.forEach(({ i }, rank) => {
    lanes[i] = LANE_MARGIN + span - (rank * span) / (routes.length - 1);
  });
  return lanes;
}

/**
 * The way round: from the node's side along the gutter to the
 * object's row, then in to the
 * glyph's side at `toY`. `sideX` is the x of that side on the node's side;
 * `lane` how far into the gutter the run goes (gutterLanes).
 */
export function gutterRoute(from: Point, sideX: number, toY: number, dir: 1 | -1, lane = GUTTER_IN): Cubic {
  const to = { x: sideX - dir * 6, y: toY };
  // Both control points at the object's row, in the gutter: the curve leaves the node almost straight down
  // (or up) and turns in only when nearly level with its object (at t 0.5 it is 7/8 of the way there).
  const bend = from.x + dir * lane;
  return { from, c1: { x: bend, y: toY }, c2: { x: bend, y: toY }, to };
}

/** A socket pair's end boxes (socket-pair-glyph.tsx: 206 wide, 132 high, 56 apart): where an edge over the near end reaches the far one's top, and how high it arcs to clear the pair's title. */
const PAIR_BOX_HALF_HEIGHT = 66;
const PAIR_TOP_IN = 40;
const PAIR_ARC_ABOVE = 170;

/**
 * An edge to the far end of a socket pair (the box on the other side of
 * the glyph from its holder, as when one process holds both ends after
 * socketpair()): a straight way in would run under the near end and seem to
 * reach it. It leaves the node's upper side, arcs over the near end and the
 * title, and comes down onto the far end's top, near its outer side; `below`
 * (when a glyph above is in the way) mirrors it under the pair, onto the far
 * end's bottom. `node`: the node's side x and its top and bottom; `o`: the
 * pair's centre; `dir` 1 when the node is on the left.
 */
export function overPairRoute(node: { sideX: number; top: number; bottom: number }, o: Point, dir: 1 | -1, below = false): Cubic {
  const up = below ? -1 : 1;
  const from = { x: node.sideX, y: below ? node.bottom - 14 : node.top + 14 };
  const to = { x: o.x + dir * (PAIR_HALF_WIDTH - PAIR_TOP_IN), y: o.y - up * (PAIR_BOX_HALF_HEIGHT + 6) };
  const arc = o.y - up * PAIR_ARC_ABOVE;
  return { from, c1: { x: from.x + dir * 30, y: arc }, c2: { x: to.x, y: arc }, to };
}
