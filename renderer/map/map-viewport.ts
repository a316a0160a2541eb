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
/** An opened fan's cells write their PID at this size on screen at least (CSS px): read from a projector's back row. */
export const READABLE_CELL_PX = 11;

/** The transform that shows all of `bounds`, centred, as large as the canvas allows (up to MAX_FIT_ZOOM). */
export function fitTransform(bounds: Rect, width: number, height: number, maxK = MAX_FIT_ZOOM): ViewTransform | null {
  if (bounds.w <= 0 || bounds.h <= 0 || width <= 2 * FIT_MARGIN || height <= 2 * FIT_MARGIN) return null;
  const k = Math.min(maxK, (width - 2 * FIT_MARGIN) / bounds.w, (height - 2 * FIT_MARGIN) / bounds.h);
  return { k, x: width / 2 - (bounds.x + bounds.w / 2) * k, y: height / 2 - (bounds.y + bounds.h / 2) * k };
}

/**
 * Where the view goes when a fan opens: the whole fan when it fits with its
 * cells readable (`minK`: the zoom at which their text is READABLE_CELL_PX),
 * else its head and first rows at that zoom, from its top-left corner (the
 * user pans for the rest). Never zoomed past MAX_FIT_ZOOM, nor zoomed in
 * further than needed when the view was already readable.
 */
export function readableView(tf: ViewTransform, rect: Rect, width: number, height: number, minK: number): ViewTransform {
  const m = FIT_MARGIN;
  if (width <= 2 * m || height <= 2 * m || rect.w <= 0 || rect.h <= 0) return tf;
  const fitK = Math.min(MAX_FIT_ZOOM, (width - 2 * m) / rect.w, (height - 2 * m) / rect.h);
  if (fitK >= minK) {
    const k = Math.min(fitK, Math.max(tf.k, minK));
    return { k, x: width / 2 - (rect.x + rect.w / 2) * k, y: height / 2 - (rect.y + rect.h / 2) * k };
  }
  const k = Math.min(minK, MAX_FIT_ZOOM);
  // As wide as the canvas allows: centred across when it fits across, else from its left edge.
  const x = rect.w * k <= width - 2 * m ? width / 2 - (rect.x + rect.w / 2) * k : m - rect.x * k;
  return { k, x, y: m - rect.y * k };
}
