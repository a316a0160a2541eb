import { MAX_OBJECTS, MAX_PROCESSES } from '../picture/layout';
import { useAppStore, type AppStore } from '../store/app-store';

/**
 * Whether the stage shows the system map: the user's choice when made;
 * otherwise the map while observing real processes, or when a lesson has more
 * processes or objects than the lesson picture draws (12 and 6).
 */
export function selectShowsMap(s: AppStore): boolean {
  if (s.stageView !== 'auto') return s.stageView === 'map';
  const frame = s.frame;
  if (!frame) return false;
  if (frame.observing) return true;
  const lesson = frame.lesson;
  if (!lesson) return false;
  return Object.keys(lesson.roles).length > MAX_PROCESSES || lesson.objects.length > MAX_OBJECTS;
}

/** Picture <-> map: what the header switch and the M key do. */
export function toggleStageView(): void {
  const state = useAppStore.getState();
  state.setStageView(selectShowsMap(state) ? 'picture' : 'map');
}
