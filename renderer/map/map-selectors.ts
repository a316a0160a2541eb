import { MAX_OBJECTS, MAX_PROCESSES } from '../picture/layout';
import { useAppStore, type AppStore } from '../store/app-store';

/**
 * Whether the stage shows the system map: the user's choice when made;
 * otherwise the map when the frame holds more processes than the picture
 * draws (12), when a lesson names more roles or objects than it draws (12 and
 * 6: the process pool at 200 workers), or when the whole machine is observed.
 * A small observation (a pipeline) keeps the picture: it shows each
 * descriptor, ring and diagnosis in full detail.
 */
export function selectShowsMap(s: AppStore): boolean {
  // 'chart' draws the race's chart; without one, the stage picks as in 'auto'
  if (s.stageView === 'picture' || s.stageView === 'map') return s.stageView === 'map';
  const frame = s.frame;
  if (!frame) return false;
  if (frame.processes.length > MAX_PROCESSES) return true;
  if (frame.observing) return 'all' in frame.observing;
  const lesson = frame.lesson;
  if (!lesson) return false;
  return Object.keys(lesson.roles).length > MAX_PROCESSES || lesson.objects.length > MAX_OBJECTS;
}

/** Picture <-> map: what the header switch and the M key do. */
export function toggleStageView(): void {
  const state = useAppStore.getState();
  state.setStageView(selectShowsMap(state) ? 'picture' : 'map');
}
