import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import { glyphBox } from './edge-route';
import { fdLabelBox } from './fd-edge';
import { fdLabelBoxAt, overlaps } from './label-place';
import { layoutPicture, NODE_WIDTH, nodeBoxes, VIEW_WIDTH } from './layout';

/*
 * Every recorded real frame in renderer/fixtures (observations, lessons,
 * diagnoses, snapshots of real processes): the "fd N" labels of its picture,
 * at the plain and the lecture type scale (×1.35), with and without "show
 * all". Before labels were placed, 23 of these frames had a label on another
 * label, a node or a glyph (the socket observation's gutter: 8). At the
 * lecture scale 9 more did while a label on end grew to 35 units thick,
 * wider than the 28 units between a node and a socket pair or TCP
 * connection: it now keeps 26 (label-place.ts).
 */
const recorded = import.meta.glob<Record<string, unknown>>('../fixtures/real-*.json', { eager: true, import: 'default' });
const isFrame = (v: unknown): v is Frame => typeof v === 'object' && v !== null && Array.isArray((v as Frame).processes);
const frames: [string, Frame][] = Object.entries(recorded).flatMap(([path, data]) => {
  const name = path.replace('../fixtures/', '');
  return isFrame(data) ? [[name, data] as [string, Frame]] : Object.entries(data).flatMap(([key, v]) => (isFrame(v) ? [[`${name} ${key}`, v] as [string, Frame]] : []));
});

describe('the "fd N" labels of every recorded real frame', () => {
  it('has frames with edges to check', () => expect(frames.filter(([, f]) => layoutPicture(f, false).edges.length > 2).length).toBeGreaterThan(20));
  for (const [name, frame] of frames) {
    it(`cover no other label, node or glyph, inside the picture (${name})`, () => {
      for (const scale of [1, 1.35]) {
        for (const showAll of [false, true]) {
          const layout = layoutPicture(frame, showAll, scale);
          const labels = layout.edges.map((edge) => ({ id: edge.id, box: fdLabelBox(edge, scale) }));
          const glyphs = layout.objects.map((o) => ({ id: o.object.id, box: glyphBox(o.object, o.x, o.y) }));
          const nodes = layout.processes.flatMap((p) => nodeBoxes([p], layout.shownIds, scale).map((box) => ({ id: `process ${p.pid}`, box })));
          const where = `×${scale}${showAll ? ' show all' : ''}`;
          labels.forEach(({ id, box }, i) => {
            expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= VIEW_WIDTH && box.y + box.height <= layout.height, `${id} inside (${where})`).toBe(true);
            for (const other of [...labels.slice(0, i), ...glyphs, ...nodes]) expect(overlaps(box, other.box), `${id} over ${other.id} (${where})`).toBe(false);
          });
        }
      }
    });
  }
});

describe('a label on end beside a socket pair', () => {
  it('fits the 28 units between a node and the pair at the lecture scale, centred there, as at the plain one', () => {
    const holder = { pid: 1, fd: 20, access: 'rw' as const };
    // the left node's side (MARGIN_X 22 + NODE_WIDTH) and the pair's (VIEW_WIDTH / 2 - 234): edge-route.ts
    const nodeSide = 22 + NODE_WIDTH;
    const pairSide = VIEW_WIDTH / 2 - 234;
    expect(pairSide - nodeSide).toBe(28);
    for (const scale of [1, 1.35]) {
      const box = fdLabelBoxAt(holder, { x: (nodeSide + pairSide) / 2, y: 300 }, scale, true);
      expect(box.x, `×${scale}`).toBeGreaterThanOrEqual(nodeSide);
      expect(box.x + box.width, `×${scale}`).toBeLessThanOrEqual(pairSide);
      // along the edge it still grows with the type
      expect(box.height).toBeCloseTo((8 * 8.4 + 16) * scale);
    }
    // lying level it keeps the lecture type's thickness
    expect(fdLabelBoxAt(holder, { x: 0, y: 0 }, 1.35).height).toBeCloseTo(26 * 1.35);
  });
});
