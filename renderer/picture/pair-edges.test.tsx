import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import captured from '../fixtures/real-frames-sockpair-one-holder.json';
import { frameFeed } from '../fixtures/frame-feed';
import { useAppStore } from '../store/app-store';
import { overlaps } from './label-place';
import { Picture } from './picture';

/*
 * Frames of a real run of stream-vs-datagram before the fork
 * (native-bridge/lessons/testing/record-sockpair-one-holder-frames.ts): the
 * parent alone holds both ends of each pair (fd 20 and 21, then 22 and 23),
 * as /proc/PID/fd shows. Each edge must end on the box of the end it names,
 * not run under the near end into the far one, and the two labels apart.
 */
const frames = captured as unknown as Record<'streamMade' | 'bothMade', Frame>;
const { show } = frameFeed();

type Rect = { x: number; y: number; width: number; height: number };
const num = (el: Element, name: string) => Number(el.getAttribute(name));
const rectOf = (el: Element): Rect => ({ x: num(el, 'x'), y: num(el, 'y'), width: num(el, 'width'), height: num(el, 'height') });
/** Where an edge's path ends (the last point of its "C" command). */
const pathEnd = (d: string) => {
  const xs = d.trim().split(/[ ,C]+/).filter(Boolean);
  return { x: Number(xs[xs.length - 2]), y: Number(xs[xs.length - 1]) };
};
/** An end's box in picture units: its rect, moved by its glyph's translate(x,y). */
function endBox(objectId: string): Rect {
  const end = screen.getByTestId(`pair-end-${objectId}`);
  const [, gx, gy] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(end.closest('[transform]')!.getAttribute('transform')!)!;
  const r = rectOf(end.querySelector('rect')!);
  return { ...r, x: r.x + Number(gx), y: r.y + Number(gy) };
}
/** Within `box` or on its border (an arrowhead stops 6 units short of it). */
const reaches = (p: { x: number; y: number }, b: Rect) => p.x >= b.x - 8 && p.x <= b.x + b.width + 8 && p.y >= b.y - 8 && p.y <= b.y + b.height + 8;

describe('one process holding both ends of a socket pair', () => {
  for (const [moment, fds] of [['streamMade', [20, 21]], ['bothMade', [20, 21, 22, 23]]] as const) {
    for (const [lecture, theme] of [[false, 'dark'], [true, 'dark'], [false, 'light'], [true, 'light']] as const) {
      it(`${moment}, ${theme}${lecture ? ', lecture' : ''}: each fd edge ends on the box of the socket it names, labels apart`, () => {
        const frame = frames[moment];
        const parent = frame.lesson!.roles.parent!;
        render(<Picture />);
        act(() => {
          useAppStore.getState().setLecture(lecture);
          useAppStore.getState().setTheme(theme);
        });
        show(frame);
        const labels: Rect[] = [];
        for (const fd of fds) {
          const edge = screen.getByTestId(`edge-${parent}-${fd}`);
          const object = edge.getAttribute('data-object')!;
          // the kernel's holder of that socket is this very descriptor
          expect(frame.objects.find((o) => o.id === object)!.holders).toContainEqual(expect.objectContaining({ pid: parent, fd }));
          const end = pathEnd(edge.querySelector('path')!.getAttribute('d')!);
          expect(reaches(end, endBox(object)), `fd ${fd} ends at ${end.x},${end.y}`).toBe(true);
          // and not on the other end's box
          const peer = frame.objects.find((o) => o.id === object)!;
          expect('peer' in peer && peer.peer ? reaches(end, endBox(peer.peer)) : false, `fd ${fd} also on the other end`).toBe(false);
          expect(edge.textContent).toBe(`fd ${fd} rw`);
          labels.push(rectOf(edge.querySelector(':scope > rect')!));
        }
        labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
      });
    }
  }
});
