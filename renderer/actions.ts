import { SPEED_MAX, SPEED_MIN, type Command, type CommandResult } from '../native-bridge/model/commands';
import type { StringKey, Translate } from './i18n/strings';
import { useAppStore } from './store/app-store';
import { selectLessonId, selectPlaying, selectSpeed } from './store/selectors';

/**
 * Everything the user can ask of the engine, as data: a name, a label, the
 * keys that trigger it, and the one Command it becomes given what the latest
 * frame says (playing? at what speed?). Buttons, shortcuts and tooltips all
 * read this table.
 */
export type ActionName = 'play' | 'pause' | 'togglePlay' | 'step' | 'slower' | 'faster' | 'restart';

export interface ActionState {
  playing: boolean;
  /** Speed the engine reports for the lesson; null before a lesson frame. */
  speed: number | null;
  lessonId: string | null;
}

export interface Action {
  name: ActionName;
  label: StringKey;
  /** KeyboardEvent.key values. */
  keys: string[];
  /** How the keys read in a tooltip. */
  keyHint: string;
  command(state: ActionState): Command | null;
}

/** Speeds offered by the picker and walked by "[" and "]". */
export const SPEED_PRESETS = [0.1, 0.25, 0.5, 1, 2, 4] as const;

export function slowerSpeed(speed: number | null): number {
  const current = speed ?? 1;
  const below = SPEED_PRESETS.filter((s) => s < current - 1e-9);
  return below.length ? below[below.length - 1]! : SPEED_MIN;
}

export function fasterSpeed(speed: number | null): number {
  const current = speed ?? 1;
  return SPEED_PRESETS.find((s) => s > current + 1e-9) ?? SPEED_MAX;
}

export const ACTIONS: Record<ActionName, Action> = {
  play: { name: 'play', label: 'play', keys: [], keyHint: 'Space', command: () => ({ type: 'play' }) },
  pause: { name: 'pause', label: 'pause', keys: [], keyHint: 'Space', command: () => ({ type: 'pause' }) },
  togglePlay: {
    name: 'togglePlay',
    label: 'play',
    keys: [' '],
    keyHint: 'Space',
    command: (state) => (state.playing ? { type: 'pause' } : { type: 'play' }),
  },
  step: { name: 'step', label: 'step', keys: ['ArrowRight', 's'], keyHint: '→ / S', command: () => ({ type: 'step' }) },
  slower: {
    name: 'slower',
    label: 'slower',
    keys: ['['],
    keyHint: '[',
    command: (state) => ({ type: 'speed', value: slowerSpeed(state.speed) }),
  },
  faster: {
    name: 'faster',
    label: 'faster',
    keys: [']'],
    keyHint: ']',
    command: (state) => ({ type: 'speed', value: fasterSpeed(state.speed) }),
  },
  restart: {
    name: 'restart',
    label: 'restart',
    keys: ['r'],
    keyHint: 'R',
    command: (state) => (state.lessonId ? { type: 'lesson.restart' } : null),
  },
};

/** "Step (→ / S)": the tooltip of a button names its shortcut. */
export function actionTitle(name: ActionName, t: Translate): string {
  const action = ACTIONS[name];
  return `${t(action.label)} (${t('shortcut')}: ${action.keyHint})`;
}

export function currentActionState(): ActionState {
  const state = useAppStore.getState();
  return { playing: selectPlaying(state), speed: selectSpeed(state), lessonId: selectLessonId(state) };
}

/** Runs an action against the engine; null when it means nothing right now. */
export function runAction(name: ActionName): Promise<CommandResult> | null {
  const command = ACTIONS[name].command(currentActionState());
  return command ? useAppStore.getState().send(command) : null;
}

const TEXT_ENTRY = new Set(['TEXTAREA', 'SELECT']);
/** Inputs where only Space has a meaning of its own (it ticks a checkbox). */
const TOGGLES = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'file']);

/** Which action a key press means; null for keys we do not own or while typing in a field. */
export function actionForKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): ActionName | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target as { tagName?: string; type?: string; isContentEditable?: boolean } | null;
  if (target) {
    if (TEXT_ENTRY.has(target.tagName ?? '') || target.isContentEditable) return null;
    if (target.tagName === 'INPUT' && !(TOGGLES.has(target.type ?? '') && event.key !== ' ')) return null;
  }
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  for (const action of Object.values(ACTIONS)) {
    if (action.keys.includes(key)) return action.name;
  }
  return null;
}
