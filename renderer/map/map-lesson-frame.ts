import type { Frame } from '../../native-bridge/model/frame-types';

/*
 * A lesson's actors are ipcscope's own Node processes: besides the objects the
 * lesson makes, the kernel reports their plumbing (libuv's internal pipes on
 * fds 6-17, their stdout, the command socket). The picture draws only the
 * lesson's objects (picture/layout.ts lessonObjectIds); the map does the same
 * and says how many it left out.
 */

const shown = new WeakMap<Frame, Frame>();
const leftOut = new WeakMap<Frame, number>();

/** The frame the map draws: a lesson's objects, what its processes sleep on, the other end of a pair it shows, and whatever a process other than its actors holds; any other frame as it is. */
export function mapFrame(frame: Frame | null): Frame | null {
  if (!frame?.lesson) return frame;
  const known = shown.get(frame);
  if (known) return known;
  const ids = new Set(frame.lesson.objects);
  for (const p of frame.processes) if (p.blocked?.object) ids.add(p.blocked.object);
  // the map draws each end of a pair: the peer of a socket the lesson shows is the lesson's too
  for (const o of frame.objects) if (ids.has(o.id) && 'peer' in o && o.peer) ids.add(o.peer);
  // Plumbing is held by the actors (and the engine, outside the frame) alone. A lesson lists only the objects its
  // picture draws (the pool: its first workers' pipes); what its workers hold stays, as the map's fan needs it.
  const actors = new Set(Object.values(frame.lesson.roles));
  const others = new Set(frame.processes.filter((p) => !actors.has(p.pid)).map((p) => p.pid));
  const heldByOthers = (o: Frame['objects'][number]) => o.holders.some((h) => others.has(h.pid)) || (o.holdersOmitted?.length ?? 0) > 0;
  const objects = frame.objects.filter((o) => ids.has(o.id) || heldByOthers(o));
  const next: Frame = objects.length === frame.objects.length ? frame : { ...frame, objects };
  shown.set(frame, next);
  leftOut.set(next, frame.objects.length - objects.length);
  return next;
}

/** How many of ipcscope's own objects mapFrame left out of `drawn` (a frame it returned). */
export function plumbingLeftOut(drawn: Frame): number {
  return leftOut.get(drawn) ?? 0;
}
