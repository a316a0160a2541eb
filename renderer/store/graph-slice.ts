import type { StateCreator } from 'zustand';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { AppStore } from './app-store';
import { mergeEvents } from './timeline-slice';

/** A restarted lesson forks new processes: the role -> pid map changes. */
function sameRoles(a: Frame, b: Frame): boolean {
  const ra = a.lesson?.roles ?? {};
  const rb = b.lesson?.roles ?? {};
  const keys = Object.keys(ra);
  // A role appearing (the child after fork) is not a restart; a role's pid changing is.
  return keys.every((k) => rb[k] === undefined || rb[k] === ra[k]);
}

export interface GraphSlice {
  /** The latest frame, exactly as the engine sent it: the only source of what is drawn. */
  frame: Frame | null;
  ingestFrame(frame: Frame): void;
}

export const graphInitial = { frame: null as Frame | null };

export const createGraphSlice: StateCreator<AppStore, [], [], GraphSlice> = (set) => ({
  ...graphInitial,
  ingestFrame: (frame) =>
    set((state) => {
      const previous = state.frame;
      // A new engine session (seq went back) or another lesson: old syscalls no longer apply.
      const restarted =
        previous !== null &&
        (frame.seq < previous.seq ||
          (previous.lesson?.id ?? null) !== (frame.lesson?.id ?? null) ||
          sameRoles(previous, frame) === false);
      const base = restarted ? { events: [], stdout: [] } : state;
      return { frame, ...mergeEvents(base, frame) };
    }),
});
