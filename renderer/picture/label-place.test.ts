import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import { glyphBox } from './edge-route';
import { fdLabelBox } from './fd-edge';
import { overlaps } from './label-place';
import { layoutPicture, nodeBoxes, VIEW_WIDTH } from './layout';

/*
 * Every recorded real frame in renderer/fixtures (observations, lessons,
 * diagnoses, snapshots of real processes): the "fd N" labels of its picture,
 * at the plain type scale, with and without "show all". Before labels were
 * placed, 23 of these frames had a label on another label, a node or a
 * glyph (the socket observation's gutter: 8). Not yet at the lecture scale
 * (×1.35): a label on end is then 35 units thick, wider than the 28 units
 * between a node and a socket pair.
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
      for (const scale of [1]) {
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
