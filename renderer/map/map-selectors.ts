import type { Frame } from '../../native-bridge/model/frame-types';
import { MAX_OBJECTS, MAX_PROCESSES, pictureObjectCount } from '../picture/layout';
import { useAppStore, type AppStore } from '../store/app-store';

/** Why the stage chose the map by itself: more processes or objects than the picture draws legibly, or the whole machine. */
export type MapReason = { why: 'processes' | 'objects'; n: number } | { why: 'all' };

/**
 * Whether a frame is drawn on the map rather than the picture, and why: more
 * processes than the picture draws (12); an observation with more objects
 * than it draws (6, counted as it draws them: each pair or connection once,
 * queued clients in their listener), or of the whole machine; a lesson that
 * names more roles or objects (the process pool at 200 workers). A small
 * observation (a pipeline) keeps the picture: each descriptor, ring and
 * diagnosis in full detail. null: the picture.
 */
export function mapReason(frame: Frame | null): MapReason | null {
  if (!frame) return null;
  if (frame.processes.length > MAX_PROCESSES) return { why: 'processes', n: frame.processes.length };
  if (frame.observing) {
    if ('all' in frame.observing) return { why: 'all' };
    // folding only ever removes objects: a frame within the limit needs no count
    const n = frame.objects.length > MAX_OBJECTS ? pictureObjectCount(frame) : 0;
    return n > MAX_OBJECTS ? { why: 'objects', n } : null;
  }
  const lesson = frame.lesson;
  if (!lesson) return null;
  const roles = Object.keys(lesson.roles).length;
  if (roles > MAX_PROCESSES) return { why: 'processes', n: roles };
  return lesson.objects.length > MAX_OBJECTS ? { why: 'objects', n: lesson.objects.length } : null;
}

/** Whether the stage shows the system map: the user's choice when made, otherwise when `mapReason` gives one. */
export function selectShowsMap(s: AppStore): boolean {
  // 'chart' draws the race's chart; without one, the stage picks as in 'auto'
  if (s.stageView === 'picture' || s.stageView === 'map') return s.stageView === 'map';
  return mapReason(s.frame) !== null;
}

/** The reason the map was chosen by itself, as "why:n" (a string, so the store hands the same value while it holds); null when the user chose. */
export function selectMapReasonKey(s: AppStore): string | null {
  if (s.stageView === 'picture' || s.stageView === 'map') return null;
  const reason = mapReason(s.frame);
  return reason === null ? null : reason.why === 'all' ? 'all' : `${reason.why}:${reason.n}`;
}

/** Picture <-> map: what the header switch and the M key do. */
export function toggleStageView(): void {
  const state = useAppStore.getState();
  state.setStageView(selectShowsMap(state) ? 'picture' : 'map');
}
