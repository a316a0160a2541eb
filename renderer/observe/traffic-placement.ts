/**
 * Where the picture puts each traffic badge ("5 B/s written · fd 1") of an
 * edge: beside its node, just above the edge's own "fd 1 w" label, and when
 * that place is taken (another edge's label, a node, an earlier badge) the
 * next free one: below the label, then further out, then over the label's
 * middle. Boxes never overlap while any candidate is free.
 */
import { NODE_HEIGHT, NODE_WIDTH, VIEW_WIDTH, type EdgeGeometry, type PlacedProcess } from '../picture/layout';
import { fdLabelBox } from '../picture/fd-edge';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const GAP = 4;
/** Rows tried above and below the label before giving up on a free place. */
const MAX_STEPS = 8;

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Badge boxes for `badges` (edge and width), in order, inside the view; `edges` are every edge of the picture (their labels are obstacles). */
export function placeBadges(badges: { edge: EdgeGeometry; width: number }[], edges: EdgeGeometry[], processes: PlacedProcess[], scale: number, viewHeight: number): Box[] {
  const height = 22 * scale;
  const taken: Box[] = [
    ...edges.map((edge) => fdLabelBox(edge, scale)),
    ...processes.map((p) => ({ x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2, width: NODE_WIDTH, height: NODE_HEIGHT })),
  ];
  return badges.map(({ edge, width }) => {
    const label = fdLabelBox(edge, scale);
    const toward = edge.to.x >= edge.from.x ? 1 : -1;
    const beside = edge.from.x + toward * (6 * scale + width / 2);
    const xs = [beside, label.x + label.width / 2, beside + toward * (width + GAP * scale)];
    const above = label.y - GAP * scale - height;
    const below = label.y + label.height + GAP * scale;
    const step = height + GAP * scale;
    const ys = Array.from({ length: MAX_STEPS }, (_, k) => [above - k * step, below + k * step]).flat();
    const candidates = ys.flatMap((y) => xs.map((cx) => ({ x: cx - width / 2, y, width, height })));
    const inside = (c: Box) => c.x >= 0 && c.x + c.width <= VIEW_WIDTH && c.y >= 0 && c.y + c.height <= viewHeight;
    const box = candidates.find((c) => inside(c) && !taken.some((t) => overlaps(c, t))) ?? candidates[0]!;
    taken.push(box);
    return box;
  });
}
