import type { Frame } from '../../native-bridge/model/frame-types';
import { paletteFor } from '../picture/palette';
import { layoutPicture, MAX_OBJECTS, MAX_PROCESSES, pictureObjectCount, VIEW_WIDTH } from '../picture/layout';
import { useAppStore, type AppStore } from '../store/app-store';
import type { StageBox } from '../store/view-slice';

/**
 * Why the stage chose the map by itself: more processes or objects than the
 * picture draws legibly, the picture's text too small at the stage's size
 * (`px`: what it would be), or the whole machine.
 */
export type MapReason = { why: 'processes' | 'objects'; n: number } | { why: 'small-text'; n: number; px: number } | { why: 'all' };

/** The picture's body text (node state lines, ring and socket labels: 13 units at type scale 1)... */
export const PICTURE_TEXT = 13;
/**
 * ...and the least it may be on screen before an observation goes to the map
 * (CSS px). Measured in Chromium at 1280x720 (e2e/picture-fit.e2e.ts): two
 * processes in a deadlock over three pipes draw it at 7.7 px, their names,
 * byte counts and fd labels at 8-13 px, and a user's review found that picture
 * readable (9.5 sent it to the map); five stacked objects with socket pairs
 * shrink it to 4.7 px, where nothing reads.
 */
export const MIN_PICTURE_TEXT_PX = 7.5;

/** Where an observation's picture would be drawn: the stage's size, the type scale, "show all". */
export interface StageFit {
  box: StageBox;
  scale: number;
  showAll: boolean;
}

/* the picture's height for a frame: one layout per frame and "show all", not one per selector call */
const heights = new WeakMap<Frame, Map<boolean, number>>();
function pictureHeight(frame: Frame, showAll: boolean): number {
  const known = heights.get(frame) ?? new Map<boolean, number>();
  heights.set(frame, known);
  let height = known.get(showAll);
  if (height === undefined) {
    height = layoutPicture(frame, showAll).height;
    known.set(showAll, height);
  }
  return height;
}

/** The picture's body text on screen for `frame` at `fit` (CSS px): the SVG is scaled to fit the stage (preserveAspectRatio meet). */
export function pictureTextPx(frame: Frame, fit: StageFit): number {
  const zoom = Math.min(fit.box.width / VIEW_WIDTH, fit.box.height / pictureHeight(frame, fit.showAll));
  return PICTURE_TEXT * fit.scale * zoom;
}

/**
 * The objects the map draws and its summary counts: each socket of a pair,
 * each end of a connection on its own. The reason line says this count too,
 * under the summary (the picture's own count folds pairs: 5 beside 7).
 */
export function mapObjectCount(frame: Frame): number {
  return frame.objects.length;
}

/**
 * Whether a frame is drawn on the map rather than the picture, and why: more
 * processes than the picture draws (12); an observation with more objects
 * than it draws (6, counted as it draws them: each pair or connection once,
 * queued clients in their listener), or of the whole machine; a lesson that
 * names more roles or objects (the process pool at 200 workers). A small
 * observation (a pipeline) keeps the picture: each descriptor, ring and
 * diagnosis in full detail, unless at the stage's size (`fit`) its text
 * would shrink below MIN_PICTURE_TEXT_PX. A lesson keeps its picture (its
 * lessons are drawn for it). null: the picture.
 */
export function mapReason(frame: Frame | null, fit: StageFit | null = null): MapReason | null {
  if (!frame) return null;
  // the whole machine is said as such, not as a count (the map's summary counts)
  if (frame.observing && 'all' in frame.observing) return { why: 'all' };
  if (frame.processes.length > MAX_PROCESSES) return { why: 'processes', n: frame.processes.length };
  if (frame.observing) {
    // folding only ever removes objects: a frame within the limit needs no count
    const n = frame.objects.length > MAX_OBJECTS ? pictureObjectCount(frame) : 0;
    if (n > MAX_OBJECTS) return { why: 'objects', n: mapObjectCount(frame) };
    // Within the limits, the picture may still be too tall for the stage: its text shrinks with it.
    if (!fit || fit.box.width <= 0 || fit.box.height <= 0 || frame.objects.length < 2) return null;
    const px = pictureTextPx(frame, fit);
    return px < MIN_PICTURE_TEXT_PX ? { why: 'small-text', n: mapObjectCount(frame), px: Math.round(px) } : null;
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
  return mapReason(s.frame, stageFit(s)) !== null;
}

/** The stage's size and type scale, from the store (null until the stage is measured). */
export function stageFit(s: AppStore): StageFit | null {
  return s.stageBox ? { box: s.stageBox, scale: paletteFor(s.theme, s.lecture).scale, showAll: s.showAll } : null;
}

/** The reason the map was chosen by itself, as "why:n" (a string, so the store hands the same value while it holds); null when the user chose. */
export function selectMapReasonKey(s: AppStore): string | null {
  if (s.stageView === 'picture' || s.stageView === 'map') return null;
  const reason = mapReason(s.frame, stageFit(s));
  if (reason === null) return null;
  return reason.why === 'all' ? 'all' : reason.why === 'small-text' ? `${reason.why}:${reason.n}:${reason.px}` : `${reason.why}:${reason.n}`;
}

/** Picture <-> map: what the header switch and the M key do. */
export function toggleStageView(): void {
  const state = useAppStore.getState();
  state.setStageView(selectShowsMap(state) ? 'picture' : 'map');
}
