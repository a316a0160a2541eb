import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import captured from '../fixtures/real-frames-observe.json';
import { fdLabelBox } from '../picture/fd-edge';
import { glyphBox, pointOnCubic } from '../picture/edge-route';
import { layoutPicture, nodeBoxes, VIEW_WIDTH } from '../picture/layout';
import diagnosed from '../fixtures/real-frames-diagnoses.json';
import twoPipes from '../fixtures/real-snapshot-two-pipes.json';
import { overlaps, placeBadges } from './traffic-placement';

/*
 * The picture of a recorded observation (native-bridge/diagnose/testing/record-observe-frames.ts):
 * a server holding a socketpair end, a listener and stdio, its children each
 * with a few descriptors: several edges leave one node close together. A
 * badge on every edge at once is the worst case the picture can meet.
 */
const frames = captured as unknown as Record<'fullPipe' | 'sockets' | 'manyPipes', Frame>;

describe('traffic badges on the picture', () => {
  for (const name of ['fullPipe', 'sockets'] as const) {
    for (const scale of [1, 1.35]) {
      it(`never cover an "fd N r" label, a node, a glyph or each other (${name}, type ×${scale})`, () => {
        const layout = layoutPicture(frames[name], false, scale);
        expect(layout.edges.length).toBeGreaterThan(3);
        /* "12.3 KiB/s written · fd 12": as wide as a badge gets */
        const boxes = placeBadges(layout.edges.map((edge) => ({ edge, width: (26 * 6.8 + 14) * scale })), layout, scale);
        const labels = layout.edges.map((edge) => fdLabelBox(edge, scale));
        const nodes = [...nodeBoxes(layout.processes, layout.shownIds, scale), ...layout.objects.map((o) => glyphBox(o.object, o.x, o.y))];
        boxes.forEach((box, i) => {
          expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= VIEW_WIDTH && box.y + box.height <= layout.height).toBe(true);
          for (const label of labels) expect(overlaps(box, label)).toBe(false);
          for (const node of nodes) expect(overlaps(box, node)).toBe(false);
          boxes.slice(0, i).forEach((other) => expect(overlaps(box, other)).toBe(false));
        });
      });
    }
  }
});

/*
 * The flow of traffic is drawn along its edge (traffic-layer.tsx): an edge
 * that ran through another object's glyph carried its flow through that
 * glyph too. Real frames with objects stacked in the middle column: the
 * observation's and the diagnoses' (python processes, recorded by
 * native-bridge/diagnose/testing), and four pipes of four real processes.
 */
const stacked: [string, Frame][] = [
  ...(['fullPipe', 'sockets', 'manyPipes'] as const).map((name): [string, Frame] => [name, frames[name]]),
  ...Object.entries(diagnosed as unknown as Record<string, Frame>),
  ['two pipes', twoPipes as unknown as Frame],
];

describe('edges (and the traffic flowing along them)', () => {
  for (const [name, frame] of stacked) {
    it(`never cross another object's glyph (${name})`, () => {
      const layout = layoutPicture(frame, false);
      expect(layout.objects.length).toBeGreaterThan(1);
      for (const edge of layout.edges) {
        const others = layout.objects.filter((o) => o.object.id !== edge.objectId);
        // A queued client's edge ends at its listener: that glyph is its own.
        const boxes = others.map((o) => ({ id: o.object.id, box: glyphBox(o.object, o.x, o.y) })).filter(({ box }) => !(edge.to.x > box.x && edge.to.x < box.x + box.width && edge.to.y > box.y && edge.to.y < box.y + box.height));
        for (let i = 1; i < 64; i += 1) {
          const p = pointOnCubic(edge, i / 64);
          for (const { id, box } of boxes) {
            const into = p.x > box.x && p.x < box.x + box.width && p.y > box.y && p.y < box.y + box.height;
            expect(into, `${edge.id} at t ${(i / 64).toFixed(2)} is inside ${id}`).toBe(false);
          }
        }
      }
    });
  }
});
