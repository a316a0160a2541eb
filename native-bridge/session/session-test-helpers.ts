/** Helpers for the session and lesson tests; the /proc checks live with the actors. */
import type { Frame } from '../model/frame-types';
import type { Session } from './session';

export { alive, holdersOf, until } from '../actor/kernel-test-helpers';

/** Collects every frame a session emits. */
export function recordFrames(session: Session): { frames: Frame[]; last: () => Frame; stop: () => void } {
  const frames: Frame[] = [];
  const stop = session.onFrame((frame) => frames.push(frame));
  return {
    frames,
    last: () => {
      const frame = frames.at(-1);
      if (!frame) throw new Error('no frame yet');
      return frame;
    },
    stop,
  };
}
