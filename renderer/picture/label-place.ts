import type { Holder } from '../../native-bridge/model/snapshot-types';
import { pointOnCubic, type Box, type Cubic, type Point } from './edge-route';

/**
 * Where each edge's "fd 4 w" label sits. Edges that run down the same gutter
 * beside the object column, or fan out of one node, meet at the same
 * distance along their curves: a label at a fixed point of every curve lands
 * on its neighbour's, on a node's side or on a glyph. Each label slides along
 * its own edge (and a little sideways, the edge still under the pill) to the
 * first place that covers no node, no glyph and no label placed before it.
 * Where the gutter is narrower than a label (beside a socket pair, 28 units)
 * and the edge runs along it, the label stands on end along the edge, in a
 * pill no thicker than that gutter at any type scale.
 */

/** Where a label sits: its centre, and whether it reads along a vertical run (turned a quarter). */
export interface LabelPlace {
  x: number;
  y: number;
  vertical: boolean;
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The label's text, as fd-edge.tsx draws it. */
export const fdLabelText = (holder: Holder): string => `fd ${holder.fd} ${holder.access}`;

/** How thick a label's pill is: 26 units at the plain scale, growing with the type. */
const PILL_THICK = 26;
/**
 * A label on end keeps the plain 26 units whatever the scale: the gutter
 * beside a socket pair or TCP connection is 28 units (a node's side to the
 * glyph's), and lecture type (x1.35) would make it 35. Its text, 14 x 1.35 =
 * 19 units of "fd 4 rw" (no descenders), inks about 15 units across, so the
 * pill still leaves it a margin on both sides.
 */
const PILL_THICK_ON_END = 26;

/** The label's box around its centre (monospace 14 units at `scale`: 8.4 units a character, padding 8 each side); a label on end is as tall as it would be wide, and no thicker than a gutter. */
export function fdLabelBoxAt(holder: Holder, at: Point, scale: number, vertical = false): Box {
  const length = (fdLabelText(holder).length * 8.4 + 16) * scale;
  const thick = vertical ? Math.min(PILL_THICK * scale, PILL_THICK_ON_END) : PILL_THICK * scale;
  return vertical ? { x: at.x - thick / 2, y: at.y - length / 2, width: thick, height: length } : { x: at.x - length / 2, y: at.y - thick / 2, width: length, height: thick };
}

/** Along the edge: the usual place first (a third of the way from the node), then nearer and further in turn, in small steps. */
const ALONG = [0.32, ...Array.from({ length: 14 }, (_, i) => [0.32 - (i + 1) * 0.04, 0.32 + (i + 1) * 0.04]).flat()].filter((t) => t > 0.03 && t < 0.9);
/** Sideways, as parts of the label's width: the edge still runs under the pill (never past its rounded end). */
const ASIDE = [0, -0.25, 0.25, -0.4, 0.4];

/** Total area `box` shares with `boxes`: what the least bad place minimises when no place is free. */
const overlapArea = (box: Box, boxes: Box[]): number =>
  boxes.reduce((sum, b) => sum + Math.max(0, Math.min(box.x + box.width, b.x + b.width) - Math.max(box.x, b.x)) * Math.max(0, Math.min(box.y + box.height, b.y + b.height) - Math.max(box.y, b.y)), 0);

/**
 * Label centres for `edges` in order. `obstacles`: what no label may cover
 * (glyph boxes, nodes with their badges); labels placed earlier join them.
 * `view`: the picture's size, which a label must stay inside.
 */
export function placeFdLabels(edges: (Cubic & { holder: Holder })[], obstacles: Box[], scale: number, view: { width: number; height: number }): LabelPlace[] {
  const inView = (b: Box) => b.x >= 0 && b.y >= 0 && b.x + b.width <= view.width && b.y + b.height <= view.height;
  const options = edges.map((edge) => {
    const along = ALONG.map((t) => pointOnCubic(edge, t));
    const length = fdLabelBoxAt(edge.holder, along[0]!, scale).width;
    // level first, each place along the edge with its sideways shifts; on end only when no level place is free
    return [false, true]
      .flatMap((vertical) => along.flatMap((on) => ASIDE.map((aside): LabelPlace => (vertical ? { x: on.x, y: on.y + aside * length, vertical } : { x: on.x + aside * length, y: on.y, vertical }))))
      .map((at) => ({ at, box: fdLabelBoxAt(edge.holder, at, scale, at.vertical) }))
      .filter(({ box }) => inView(box));
  });
  // the edge with fewest free places chooses first (an edge in a narrow gutter before one out in the open), ties in the edges' order
  const free = options.map((list) => list.filter(({ box }) => !obstacles.some((b) => overlaps(box, b))).length);
  const order = edges.map((_, i) => i).sort((a, b) => free[a]! - free[b]! || a - b);
  const taken = [...obstacles];
  const placed = new Array<LabelPlace>(edges.length);
  for (const i of order) {
    const list = options[i]!;
    if (list.length === 0) {
      placed[i] = { ...pointOnCubic(edges[i]!, ALONG[0]!), vertical: false };
      continue;
    }
    // nowhere free: the place that covers least (the picture's checks over real frames say this does not happen)
    const best = list.find(({ box }) => !taken.some((b) => overlaps(box, b))) ?? list.reduce((a, b) => (overlapArea(b.box, taken) < overlapArea(a.box, taken) ? b : a));
    taken.push(best.box);
    placed[i] = best.at;
  }
  return placed;
}
