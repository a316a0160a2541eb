import { useEffect, useRef, useState } from 'react';
import type { Frame } from '../../../native-bridge/model/frame-types';
import { animationClock } from '../../clock/animation-clock';
import { useAppStore } from '../../store/app-store';
import type { TimelineEntry } from '../../store/timeline-slice';

/** What the picture draws from: one frame and the event log as it stood with it. */
export interface PictureState {
  frame: Frame | null;
  events: TimelineEntry[];
}

function pictureState(previous?: PictureState): PictureState {
  const { frame, events } = useAppStore.getState();
  // Same inputs, same object: React skips the render.
  if (previous && previous.frame === frame && previous.events === events) return previous;
  return { frame, events };
}

/**
 * The latest frame and event log, redrawn at most once per animation frame:
 * frames can arrive at 60 Hz while the picture only needs the newest one
 * (zustand transient updates + one requestAnimationFrame). Both are read in
 * the same callback, so a drawing never pairs frame N with frame N+1's calls.
 */
export function usePictureFrame(): PictureState {
  const [picture, setPicture] = useState<PictureState>(() => pictureState());
  useEffect(() => {
    let pending: number | null = null;
    const clock = animationClock();
    const unsubscribe = useAppStore.subscribe((state, previous) => {
      // The log also changes alone (cleared when a lesson restarts).
      const changed = state.frame !== previous.frame || state.events !== previous.events;
      if (!changed || pending !== null) return;
      pending = clock.request(() => {
        pending = null;
        setPicture(pictureState);
      });
    });
    // A frame may have landed between the first render and this effect.
    setPicture(pictureState);
    return () => {
      unsubscribe();
      if (pending !== null) clock.cancel(pending);
    };
  }, []);
  return picture;
}

/** Animation-clock time, ticking every animation frame while `active`. */
export function useAnimationTime(active: boolean): number {
  const [now, setNow] = useState(() => animationClock().now());
  useEffect(() => {
    if (!active) return;
    const clock = animationClock();
    let id = clock.request(function tick(time) {
      setNow(time);
      id = clock.request(tick);
    });
    return () => clock.cancel(id);
  }, [active]);
  return active ? now : animationClock().now();
}

/**
 * Eases a number from the value shown in the previous frame to the one in
 * this frame: the picture interpolates between two kernel readings, nothing
 * more.
 */
export function useTweened(target: number, durationMs = 350): number {
  const [shown, setShown] = useState(target);
  const shownRef = useRef(target);
  useEffect(() => {
    const clock = animationClock();
    const from = shownRef.current;
    if (from === target) return;
    const start = clock.now();
    let id = clock.request(function tick(time) {
      const t = Math.min(1, (time - start) / durationMs);
      const eased = 1 - (1 - t) * (1 - t);
      const value = from + (target - from) * eased;
      shownRef.current = value;
      setShown(value);
      if (t < 1) id = clock.request(tick);
    });
    return () => clock.cancel(id);
  }, [target, durationMs]);
  return shown;
}
