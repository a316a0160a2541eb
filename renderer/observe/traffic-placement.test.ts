import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import captured from '../fixtures/real-frames-observe.json';
import { fdLabelBox } from '../picture/fd-edge';
import { layoutPicture, NODE_HEIGHT, NODE_WIDTH, VIEW_WIDTH } from '../picture/layout';
import { overlaps, placeBadges } from './traffic-placement';

/*
 * The picture of a recorded observation (native-bridge/diagnose/testing/record-observe-frames.ts):
 * a server holding a socketpair end, a listener and stdio, its children each
 * with a few descriptors: several edges leave one node close together. A
 * badge on every edge at once is the worst case the picture can meet.
 */
const frames = captured as unknown as Record<'fullPipe' | 'sockets', Frame>;

describe('traffic badges on the picture', () => {
  for (const name of ['fullPipe', 'sockets'] as const) {
    for (const scale of [1, 1.35]) {
      it(`never cover an "fd N r" label, a node or each other (${name}, type ×${scale})`, () => {
        const layout = layoutPicture(frames[name], false);
        expect(layout.edges.length).toBeGreaterThan(3);
        /* "12.3 KiB/s written · fd 12": as wide as a badge gets */
        const boxes = placeBadges(layout.edges.map((edge) => ({ edge, width: (26 * 6.8 + 14) * scale })), layout.edges, layout.processes, scale, layout.height);
        const labels = layout.edges.map((edge) => fdLabelBox(edge, scale));
        const nodes = layout.processes.map((p) => ({ x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2, width: NODE_WIDTH, height: NODE_HEIGHT }));
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
