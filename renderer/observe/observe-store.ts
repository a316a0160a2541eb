import { create } from 'zustand';
import type { ObserveScope } from '../../native-bridge/model/commands';
import type { LessonParams } from '../../native-bridge/model/frame-types';
import type { ProcessList } from '../../native-bridge/model/process-list-types';
import { useAppStore } from '../store/app-store';
import { keepTraffic, type TrafficSample } from './recent-traffic';

/**
 * Observation mode's view state: the picker (open? what was typed, the
 * engine's answer, what is ticked) and what to switch back to in one click
 * (the lesson left for an observation, the observation left for a lesson).
 * Nothing here is drawn from but the engine's answers and frames.
 */
export interface ObserveState {
  pickerOpen: boolean;
  query: string;
  list: ProcessList | null;
  /** The query `list` answers (trimmed): rows of an earlier query are never shown as the answer to a newer one. */
  listQuery: string | null;
  loading: boolean;
  listError: string | null;
  picked: number[];
  tree: boolean;
  /** The lesson running when an observation began (lesson.start brings it back). */
  lastLesson: { id: string; params: LessonParams } | null;
  /** The latest observation asked for (observe brings it back). */
  lastScope: ObserveScope | null;
  /** Traffic of the recent frames of an observation (recent-traffic.ts). */
  traffic: TrafficSample[];
}

export const observeInitial: ObserveState = {
  pickerOpen: false,
  query: '',
  list: null,
  listQuery: null,
  loading: false,
  listError: null,
  picked: [],
  tree: true,
  lastLesson: null,
  lastScope: null,
  traffic: [],
};

export const useObserveStore = create<ObserveState>()(() => ({ ...observeInitial }));

export function resetObserveStore(): void {
  useObserveStore.setState({ ...observeInitial });
}

/** Each query's answer replaces the list only if no later query was sent meanwhile. */
let listSeq = 0;

export async function refreshList(query = useObserveStore.getState().query): Promise<void> {
  const seq = ++listSeq;
  const asked = query.trim();
  useObserveStore.setState({ loading: true, listError: null });
  const result = await useAppStore.getState().send(asked ? { type: 'processes.list', query: asked } : { type: 'processes.list' });
  if (seq !== listSeq) return;
  if (result.ok) useObserveStore.setState({ list: result.data as ProcessList, listQuery: asked, listError: null, loading: false });
  /* no rows then: those of the last answer would pass for this query's */
  else useObserveStore.setState({ list: null, listQuery: null, listError: result.error, loading: false });
}

export function openPicker(): void {
  useObserveStore.setState({ pickerOpen: true });
  void refreshList();
}

export function closePicker(): void {
  useObserveStore.setState({ pickerOpen: false });
}

export function togglePicked(pid: number): void {
  const { picked } = useObserveStore.getState();
  useObserveStore.setState({ picked: picked.includes(pid) ? picked.filter((p) => p !== pid) : [...picked, pid] });
}

/** Sends "observe"; remembers the lesson it ends so one click brings it back. */
export async function observe(scope: ObserveScope): Promise<boolean> {
  const lesson = useAppStore.getState().frame?.lesson ?? null;
  const result = await useAppStore.getState().send({ type: 'observe', ...scope });
  if (!result.ok) return false;
  useObserveStore.setState({
    lastScope: scope,
    pickerOpen: false,
    /* ticks left over would hide among the next search's rows */
    picked: [],
    ...(lesson ? { lastLesson: { id: lesson.id, params: lesson.params } } : {}),
  });
  return true;
}

export async function stopObserving(): Promise<void> {
  await useAppStore.getState().send({ type: 'observe.stop' });
}

/** Starts the lesson left for the observation again (the engine ends the observation). */
export async function backToLesson(): Promise<void> {
  const last = useObserveStore.getState().lastLesson;
  if (!last) return;
  const params = Object.keys(last.params).length > 0 ? { params: last.params } : {};
  const result = await useAppStore.getState().send({ type: 'lesson.start', lesson: last.id, ...params });
  /* the side column showed an observed process's details: the lesson starts at its steps */
  if (result.ok) useAppStore.getState().setSideTab('steps');
}

export async function backToObserving(): Promise<void> {
  const scope = useObserveStore.getState().lastScope;
  if (scope) await observe(scope);
}

/** The scope a frame carries, as the command that asked for it. */
export function scopeOfView(view: { all: true } | { pids: number[]; tree: boolean }): ObserveScope {
  return 'all' in view ? { all: true } : { pids: [...view.pids], tree: view.tree };
}

/** Keeps the traffic of each frame that arrives; returns the unsubscribe. */
export function followTraffic(): () => void {
  return useAppStore.subscribe((state, previous) => {
    if (state.frame === previous.frame || state.frame === null) return;
    const current = useObserveStore.getState().traffic;
    const next = keepTraffic(current, state.frame, previous.frame);
    if (next !== current) useObserveStore.setState({ traffic: next });
  });
}
