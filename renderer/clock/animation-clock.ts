/**
 * The one clock every animation in the picture reads. Browsers get
 * requestAnimationFrame; tests swap in a ManualClock and move time by hand, so
 * nothing in a test waits on a real timer.
 */
export interface AnimationClock {
  now(): number;
  request(callback: (time: number) => void): number;
  cancel(id: number): void;
}

const browserClock: AnimationClock = {
  now: () => (typeof performance !== 'undefined' ? performance.now() : Date.now()),
  request: (callback) =>
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(callback)
      : (setTimeout(() => callback(browserClock.now()), 16) as unknown as number),
  cancel: (id) => (typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(id) : clearTimeout(id)),
};

let current: AnimationClock = browserClock;

export function animationClock(): AnimationClock {
  return current;
}

/** Replaces the clock (tests); returns a function that puts the previous one back. */
export function setAnimationClock(clock: AnimationClock): () => void {
  const previous = current;
  current = clock;
  return () => {
    current = previous;
  };
}

/** A clock that only moves when told to: `advance(ms)` runs the callbacks that were waiting. */
export class ManualClock implements AnimationClock {
  private time = 0;
  private nextId = 1;
  private waiting = new Map<number, (time: number) => void>();

  now(): number {
    return this.time;
  }

  request(callback: (time: number) => void): number {
    const id = this.nextId++;
    this.waiting.set(id, callback);
    return id;
  }

  cancel(id: number): void {
    this.waiting.delete(id);
  }

  /** Moves time forward and runs one round of waiting callbacks (one animation frame). */
  advance(ms = 16): void {
    this.time += ms;
    const due = [...this.waiting.values()];
    this.waiting.clear();
    for (const callback of due) callback(this.time);
  }

  get pending(): number {
    return this.waiting.size;
  }
}
