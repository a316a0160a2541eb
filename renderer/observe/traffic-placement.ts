/**
 * Where the picture puts each traffic badge ("5 B/s written · fd 1") of an
 * edge: beside its node, just above the edge's own "fd 1 w" label, and when
 * that place is taken (another edge's label, a node, an earlier badge) the
 * next free one: below the label, then further out, then over the label's
 * middle, then above or below points further along the edge. Object
 * glyphs are obstacles too: a badge never covers a pipe ring or a socket pair.
 * Boxes never overlap while any candidate is free.
 */
import { glyphBox, pointOnCubic, type Box } from '../picture/edge-route';
import { nodeBoxes, VIEW_WIDTH, type EdgeGeometry, type PictureLayout } from '../picture/layout';
import { fdLabelBox } from '../picture/fd-edge';

export type { Box } from '../picture/edge-route';

const GAP = 4;
/** Rows tried above and below the label before giving up on a free place. */
const MAX_STEPS = 8;

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Badge boxes for `badges` (edge and width), in order, inside the view; every label, node and glyph of `layout` is an obstacle. */
export function placeBadges(badges: { edge: EdgeGeometry; width: number }[], layout: Pick<PictureLayout, 'edges' | 'processes' | 'objects' | 'shownIds' | 'height'>, scale: number): Box[] {
  const height = 22 * scale;
  const viewHeight = layout.height;
  const taken: Box[] = [
    ...layout.edges.map((edge) => fdLabelBox(edge, scale)),
    ...nodeBoxes(layout.processes, layout.shownIds, scale),
    ...layout.objects.map((o) => glyphBox(o.object, o.x, o.y)),
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
    const inside = (c: Box) => c.x >= 0 && c.x + c.width <= VIEW_WIDTH && c.y >= 0 && c.y + c.height <= viewHeight;
    const near = ys.flatMap((y) => xs.map((cx) => ({ x: cx - width / 2, y, width, height })));
    // further along the edge, just above or below it (its middle run, in a gap between glyphs)
    const along = [0.45, 0.55, 0.65, 0.2, 0.75, 0.1, 0.85].flatMap((t) => {
      const p = pointOnCubic(edge, t);
      return [p.y - height - GAP * scale, p.y + GAP * scale].flatMap((y) => [0, -0.5, 0.5].map((aside) => ({ x: p.x - width / 2 + aside * width, y, width, height })));
    });
    // else the free place nearest the edge's label anywhere in the picture (every edge busy at once in a tall picture)
    const free = (c: Box) => inside(c) && !taken.some((t) => overlaps(c, t));
    const close = [...near, ...along].find(free);
    if (close) {
      taken.push(close);
      return close;
    }
    const centre = { x: label.x + label.width / 2, y: label.y + label.height / 2 };
    const rows = Math.floor((viewHeight - height) / (height / 2));
    const anywhere = Array.from({ length: rows + 1 }, (_, r) => r * (height / 2))
      .flatMap((y) => Array.from({ length: Math.floor((VIEW_WIDTH - width) / 20) + 1 }, (_, c) => ({ x: c * 20, y, width, height })))
      .sort((a, b) => Math.hypot(a.x + width / 2 - centre.x, a.y - centre.y) - Math.hypot(b.x + width / 2 - centre.x, b.y - centre.y));
    const box = anywhere.find(free) ?? near[0]!;
    taken.push(box);
    return box;
  });
}
