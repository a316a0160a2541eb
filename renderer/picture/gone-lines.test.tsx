import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame, Locale } from '../../native-bridge/model/frame-types';
import captured from '../fixtures/real-frames-echo-end.json';
import { pipeMoments } from '../fixtures/pipe-lesson-frames';
import { frameFeed } from '../fixtures/frame-feed';
import { useAppStore } from '../store/app-store';
import { layoutPicture, NODE_HEIGHT, NODE_WIDTH } from './layout';
import { Picture } from './picture';
import { estimateWidth } from './text-fit';

/*
 * The last frame of a real echo-logger run (native-bridge/lessons/testing/
 * record-echo-end-frames.ts): all six processes have exited and the six
 * objects the lesson made are gone. Six sentences in lecture type are wider
 * than the gap between the process columns: they ran across child1 and child2.
 */
const { end } = captured as unknown as { end: Frame };
const { show } = frameFeed();

interface Box {
  name: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Each gone line's box, from its anchor, font size and text (jsdom measures nothing: the picture's own estimate). */
function goneLineBoxes(): Box[] {
  const lines = new Set([...document.querySelectorAll('[data-testid^="gone-"]')].map((el) => el.closest('text')!));
  return [...lines].map((el) => {
    const x = Number(el.getAttribute('x'));
    const y = Number(el.getAttribute('y'));
    const size = Number(el.getAttribute('font-size'));
    const width = estimateWidth(el.textContent ?? '', size);
    return { name: el.textContent ?? '', left: x - width / 2, right: x + width / 2, top: y - size, bottom: y + size * 0.3 };
  });
}

function nodeBoxes(frame: Frame): Box[] {
  return layoutPicture(frame, false).processes.map((p) => ({
    name: p.role ?? String(p.pid),
    left: p.x - NODE_WIDTH / 2,
    right: p.x + NODE_WIDTH / 2,
    top: p.y - NODE_HEIGHT / 2,
    bottom: p.y + NODE_HEIGHT / 2,
  }));
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function crossings(frame: Frame): string[] {
  const nodes = nodeBoxes(frame);
  return goneLineBoxes().flatMap((line) => nodes.filter((node) => overlaps(line, node)).map((node) => `${line.name} / ${node.name}`));
}

describe('objects the kernel no longer reports', () => {
  it('six gone at the end of echo-logger, in lecture type: one short list in the middle column, never across a node', () => {
    expect(end.lesson!.objects).toHaveLength(6);
    expect(end.objects).toEqual([]);
    act(() => useAppStore.getState().setLecture(true));
    render(<Picture />);
    show(end);
    const group = screen.getByTestId('objects-gone');
    expect(group.getAttribute('data-form')).toBe('short');
    for (const id of end.lesson!.objects) expect(screen.getByTestId(`gone-${id}`).getAttribute('data-reason')).toMatch(/ is gone: /);
    expect([...group.querySelectorAll('text')].map((line) => line.textContent).join(' ')).toMatch(/^6 objects are gone: tcp \d+/);
    /* the full sentences, in the tooltip */
    expect(group.querySelector('title')!.textContent!.split('\n')).toHaveLength(6);
    expect(crossings(end)).toEqual([]);
  });

  it.each<Locale>(['en', 'zh-Hans', 'zh-Hant'])('fits the column in %s, in normal and lecture type', (locale) => {
    act(() => useAppStore.getState().setLocale(locale));
    render(<Picture />);
    show(end);
    expect(crossings(end)).toEqual([]);
    act(() => useAppStore.getState().setLecture(true));
    expect(crossings(end)).toEqual([]);
  });

  it('one gone pipe under a single row of nodes keeps its sentence', () => {
    const { afterClose } = pipeMoments();
    act(() => useAppStore.getState().setLecture(true));
    render(<Picture />);
    const frame = { ...afterClose, seq: 99, objects: [], processes: [] };
    show(frame);
    expect(screen.getByTestId('objects-gone').getAttribute('data-form')).toBe('sentences');
    expect(screen.getByTestId(`gone-${frame.lesson!.objects[0]}`).textContent).toMatch(/^pipe \d+ is gone: the kernel freed it when its last holder let go$/);
    expect(crossings(frame)).toEqual([]);
  });
});
