import { describe, expect, it } from 'vitest';
import { FIT_MARGIN, MAX_FIT_ZOOM, fitTransform, showRect } from './map-viewport';

const onScreen = (tf: { k: number; x: number; y: number }, r: { x: number; y: number; w: number; h: number }) => ({
  left: r.x * tf.k + tf.x,
  top: r.y * tf.k + tf.y,
  right: (r.x + r.w) * tf.k + tf.x,
  bottom: (r.y + r.h) * tf.k + tf.y,
});

describe('fitTransform', () => {
  it('zooms a small map in to fill the canvas, up to MAX_FIT_ZOOM, centred', () => {
    // A 3-process pipeline: about 500 x 120 world px on a 1280 x 600 canvas.
    const small = { x: 0, y: 0, w: 500, h: 120 };
    const tf = fitTransform(small, 1280, 600)!;
    expect(tf.k).toBe(MAX_FIT_ZOOM);
    const box = onScreen(tf, small);
    expect(box.left + box.right).toBeCloseTo(1280);
    expect(box.top + box.bottom).toBeCloseTo(600);
    // Wider than tall: fills the width but the margin.
    const wide = { x: -380, y: 0, w: 1200, h: 200 };
    const fit = onScreen(fitTransform(wide, 1280, 600)!, wide);
    expect(fit.left).toBeCloseTo(FIT_MARGIN);
    expect(fit.right).toBeCloseTo(1280 - FIT_MARGIN);
  });

  it('zooms a big map out so all of it is on the canvas', () => {
    const big = { x: 0, y: 0, w: 4000, h: 9000 };
    const tf = fitTransform(big, 1280, 600)!;
    expect(tf.k).toBeLessThan(0.1);
    const box = onScreen(tf, big);
    expect(box.top).toBeGreaterThanOrEqual(FIT_MARGIN - 1e-9);
    expect(box.bottom).toBeLessThanOrEqual(600 - FIT_MARGIN + 1e-9);
  });
});

describe('showRect', () => {
  const tf = { k: 1, x: 24, y: 24 };
  it('leaves the view alone when the rectangle is on screen', () => {
    expect(showRect(tf, { x: 10, y: 10, w: 100, h: 100 }, 1280, 600)).toBe(tf);
  });

  it('pans an opened fan that runs off the right edge into view, keeping the zoom', () => {
    const fan = { x: 1100, y: 0, w: 1280 - 48 - 100, h: 300 };
    const next = showRect(tf, fan, 1280, 600);
    expect(next.k).toBe(1);
    const box = onScreen(next, fan);
    expect(box.left).toBeGreaterThanOrEqual(FIT_MARGIN);
    expect(box.right).toBeLessThanOrEqual(1280 - FIT_MARGIN);
  });

  it('zooms out (never in) when the opened fan is larger than the canvas', () => {
    const fan = { x: 1100, y: 0, w: 1300, h: 1400 };
    const next = showRect(tf, fan, 1280, 600);
    expect(next.k).toBeLessThan(1);
    const box = onScreen(next, fan);
    expect(box.top).toBeGreaterThanOrEqual(FIT_MARGIN - 1e-9);
    expect(box.bottom).toBeLessThanOrEqual(600 - FIT_MARGIN + 1e-9);
  });
});
