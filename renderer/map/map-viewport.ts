import type { ViewTransform } from './map-draw-kit';
import type { Rect } from './map-geometry';

/**
 * Where the map's view goes when the app moves it (Fit, a fan opening): pure
 * transforms from world rectangles to d3-zoom's k, x, y.
 */

/** Fit zooms in up to this: a 3-process pipeline fills the canvas, its text stays a sane size. */
export const MAX_FIT_ZOOM = 2;
/** Margin left around what is fitted (CSS px). */
export const FIT_MARGIN = 24;

/** The transform that shows all of `bounds`, centred, as large as the canvas allows (up to MAX_FIT_ZOOM). */
export function fitTransform(bounds: Rect, width: number, height: number, maxK = MAX_FIT_ZOOM): ViewTransform | null {
  if (bounds.w <= 0 || bounds.h <= 0 || width <= 2 * FIT_MARGIN || height <= 2 * FIT_MARGIN) return null;
  const k = Math.min(maxK, (width - 2 * FIT_MARGIN) / bounds.w, (height - 2 * FIT_MARGIN) / bounds.h);
  return { k, x: width / 2 - (bounds.x + bounds.w / 2) * k, y: height / 2 - (bounds.y + bounds.h / 2) * k };
}

/**
 * The smallest move that brings `rect` on screen: the same transform when it
 * is already in view, a pan when it fits at the current zoom, else a fit of
 * the rectangle (zooming out, never in).
 */
export function showRect(tf: ViewTransform, rect: Rect, width: number, height: number): ViewTransform {
  const m = FIT_MARGIN;
  const fits = rect.w * tf.k <= width - 2 * m && rect.h * tf.k <= height - 2 * m;
  if (!fits) return fitTransform(rect, width, height, tf.k) ?? tf;
  const left = rect.x * tf.k + tf.x;
  const top = rect.y * tf.k + tf.y;
  const right = left + rect.w * tf.k;
  const bottom = top + rect.h * tf.k;
  const dx = left < m ? m - left : right > width - m ? width - m - right : 0;
  const dy = top < m ? m - top : bottom > height - m ? height - m - bottom : 0;
  return dx === 0 && dy === 0 ? tf : { k: tf.k, x: tf.x + dx, y: tf.y + dy };
}
