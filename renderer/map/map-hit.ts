import { contains, type HitBox, type MapTarget, type Point } from './map-geometry';

/** Bucket side in world pixels: a few units per bucket at most. */
const BUCKET = 256;

/**
 * Which box is under a point, found through a grid of buckets so that a mouse
 * move over a map of thousands of boxes looks at a handful. The smallest box
 * wins: a member of an expanded fan over the fan, an object over nothing.
 */
export class HitIndex {
  private buckets = new Map<string, HitBox[]>();

  constructor(boxes: HitBox[]) {
    for (const box of boxes) {
      const x0 = Math.floor(box.x / BUCKET);
      const x1 = Math.floor((box.x + box.w) / BUCKET);
      const y0 = Math.floor(box.y / BUCKET);
      const y1 = Math.floor((box.y + box.h) / BUCKET);
      for (let bx = x0; bx <= x1; bx += 1) {
        for (let by = y0; by <= y1; by += 1) {
          const key = `${bx},${by}`;
          const list = this.buckets.get(key);
          if (list) list.push(box);
          else this.buckets.set(key, [box]);
        }
      }
    }
  }

  at(point: Point): MapTarget | null {
    const list = this.buckets.get(`${Math.floor(point.x / BUCKET)},${Math.floor(point.y / BUCKET)}`) ?? [];
    let best: HitBox | null = null;
    for (const box of list) {
      if (contains(box, point) && (best === null || box.w * box.h < best.w * best.h)) best = box;
    }
    return best?.target ?? null;
  }
}

/** The store's selection for a target ("process:PID" or the object id); a fan has none (a click opens it). */
export function selectionOf(target: MapTarget): string | null {
  if (target.type === 'process') return `process:${target.pid}`;
  if (target.type === 'object') return target.id;
  return null;
}
