import { describe, expect, it } from 'vitest';
import { FIT_MARGIN, MAX_FIT_ZOOM, fitTransform, readableView } from './map-viewport';

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

describe('readableView', () => {
  const tf = { k: 0.4, x: 24, y: 24 };
  it('fits an opened fan that is readable whole, centred, zooming in from a fitted map only as far as readable', () => {
    const fan = { x: 600, y: 0, w: 600, h: 250 };
    const next = readableView(tf, fan, 1400, 800, 1);
    expect(next.k).toBe(1);
    const box = onScreen(next, fan);
    expect(box.left + box.right).toBeCloseTo(1400);
    expect(box.top + box.bottom).toBeCloseTo(800);
  });

  it('shows a fan too large to be readable whole from its top-left corner at the readable zoom', () => {
    // 200 cells: 20 columns of 64, 10 rows of 34 under an 80-high head, on the map's 836 x 400 canvas at 1280x720.
    const fan = { x: 550, y: 0, w: 1280, h: 428 };
    const next = readableView(tf, fan, 836, 400, 1);
    expect(next.k).toBe(1);
    const box = onScreen(next, fan);
    expect(box.left).toBeCloseTo(FIT_MARGIN);
    expect(box.top).toBeCloseTo(FIT_MARGIN);
  });

  it('never zooms past MAX_FIT_ZOOM, and keeps a closer zoom the user had when the fan fits at it', () => {
    const tiny = { x: 0, y: 0, w: 300, h: 120 };
    expect(readableView({ k: 0.3, x: 0, y: 0 }, tiny, 1400, 800, 1).k).toBe(1);
    expect(readableView({ k: 1.6, x: 0, y: 0 }, tiny, 1400, 800, 1).k).toBe(1.6);
    expect(readableView({ k: 3, x: 0, y: 0 }, tiny, 1400, 800, 1).k).toBe(MAX_FIT_ZOOM);
  });
});
