import { afterEach, describe, expect, it } from 'vitest';
import { scrollWithin } from './scroll-within';

/* jsdom lays nothing out: the boxes' geometry is given, as a browser would measure it */
function place(el: HTMLElement, top: number, height: number, scroll?: { scrollHeight: number }) {
  el.getBoundingClientRect = () => ({ top, bottom: top + height, left: 0, right: 100, width: 100, height, x: 0, y: top, toJSON: () => ({}) });
  if (scroll) {
    Object.defineProperty(el, 'scrollHeight', { value: scroll.scrollHeight });
    Object.defineProperty(el, 'clientHeight', { value: height });
  }
}

afterEach(() => document.body.replaceChildren());

describe('scrollWithin', () => {
  it('scrolls only the nearest box that scrolls, not the hidden panel around it nor the page', () => {
    const panel = document.createElement('section');
    panel.style.overflow = 'hidden';
    const list = document.createElement('ol');
    list.style.overflowY = 'auto';
    const item = document.createElement('li');
    list.append(item);
    panel.append(list);
    document.body.append(panel);
    place(panel, 600, 40, { scrollHeight: 400 });
    place(list, 600, 100, { scrollHeight: 400 });
    place(item, 720, 30);
    scrollWithin(item);
    expect(list.scrollTop).toBe(50);
    expect(panel.scrollTop).toBe(0);
    expect(document.documentElement.scrollTop).toBe(0);
    place(item, 560, 30);
    scrollWithin(item);
    expect(list.scrollTop).toBe(10);
  });
});
