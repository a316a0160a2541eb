import { SPEED_MAX, SPEED_MIN, type Command, type CommandResult } from '../native-bridge/model/commands';
import type { StringKey, Translate } from './i18n/strings';
import { toggleStageView } from './map/map-selectors';
import { useAppStore } from './store/app-store';
import { selectPendingQuestion, selectQuestionsOn } from './store/lesson-selectors';
import { selectLessonId, selectNextStep, selectPlaying, selectSpeed } from './store/selectors';

/**
 * Everything the user can ask of the engine, as data: a name, a label, the
 * keys that trigger it, and the Command(s) it becomes given what the latest
 * frame says (playing? at what speed? a question waiting?). Buttons,
 * shortcuts, tooltips and the shortcuts overlay all read this table.
 */
export type ActionName =
  | 'play'
  | 'pause'
  | 'togglePlay'
  | 'step'
  | 'stepBack'
  | 'slower'
  | 'faster'
  | 'restart'
  | 'questions'
  | 'answer1'
  | 'answer2'
  | 'answer3'
  | 'answer4'
  | 'help'
  | 'toggleMap';

export interface ActionState {
  playing: boolean;
  /** Speed the engine reports for the lesson; null before a lesson frame. */
  speed: number | null;
  lessonId: string | null;
  /** Index of the next step to issue (LessonView.next). */
  next: number;
  questionsOn: boolean;
  /** The step whose question waits for an answer, and its choice ids; null when none waits. */
  pending: { step: number; choices: string[] } | null;
}

export interface Action {
  name: ActionName;
  label: StringKey;
  /** Filled into the label, e.g. {n: 2} for "Answer 2". */
  labelValues?: Record<string, number>;
  /** KeyboardEvent.key values. */
  keys: string[];
  /** How the keys read in a tooltip. */
  keyHint: string;
  /** Commands sent in order (an answer, then the step it was asked for); null or [] when it means nothing now. */
  command(state: ActionState): Command | Command[] | null;
  /** A view-only action (the shortcuts overlay): runs here, sends nothing. */
  local?: () => void;
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

/** Keys 1-4 answer the waiting question, then run the step it was asked for. */
function answerAction(n: 1 | 2 | 3 | 4): Action {
  return {
    name: `answer${n}`,
    label: 'answerKey',
    labelValues: { n },
    keys: [String(n)],
    keyHint: String(n),
    command: (state) => {
      const choice = state.pending?.choices[n - 1];
      if (!state.pending || choice === undefined) return null;
      return [{ type: 'answer', step: state.pending.step, choice }, { type: 'step' }];
    },
  };
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
  step: {
    name: 'step',
    label: 'step',
    keys: ['ArrowRight', 's'],
    keyHint: '→ / S',
    // A waiting question is answered first (keys 1-4): the answer sends the step.
    command: (state) => (state.pending ? null : { type: 'step' }),
  },
  stepBack: {
    name: 'stepBack',
    label: 'stepBack',
    keys: ['ArrowLeft', 'b'],
    keyHint: '← / B',
    command: (state) => (state.lessonId && state.next > 0 ? { type: 'step.back', step: state.next - 1 } : null),
  },
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
  questions: {
    name: 'questions',
    label: 'questions',
    keys: ['q'],
    keyHint: 'Q',
    command: (state) => (state.lessonId ? { type: 'questions', on: !state.questionsOn } : null),
  },
  answer1: answerAction(1),
  answer2: answerAction(2),
  answer3: answerAction(3),
  answer4: answerAction(4),
  help: {
    name: 'help',
    label: 'help',
    keys: ['?'],
    keyHint: '?',
    command: () => null,
    local: () => useAppStore.getState().setHelpOpen(!useAppStore.getState().helpOpen),
  },
  toggleMap: { name: 'toggleMap', label: 'viewToggle', keys: ['m'], keyHint: 'M', command: () => null, local: toggleStageView },
};

/** "Step (Shortcut: → / S)": the tooltip of a button names its shortcut. */
export function actionTitle(name: ActionName, t: Translate): string {
  const action = ACTIONS[name];
  return `${t(action.label, action.labelValues)} (${t('shortcut')}: ${action.keyHint})`;
}

export function currentActionState(): ActionState {
  const state = useAppStore.getState();
  const pending = selectPendingQuestion(state);
  return {
    playing: selectPlaying(state),
    speed: selectSpeed(state),
    lessonId: selectLessonId(state),
    next: selectNextStep(state),
    questionsOn: selectQuestionsOn(state),
    pending: pending && { step: pending.step, choices: pending.question.choices.map((c) => c.id) },
  };
}

/** Sends commands one after another, stopping at the first the engine refuses. */
async function sendAll(commands: Command[]): Promise<CommandResult> {
  let result: CommandResult = { ok: true };
  for (const command of commands) {
    result = await useAppStore.getState().send(command);
    if (!result.ok) break;
  }
  return result;
}

/** Runs an action against the engine; null when it means nothing right now. */
export function runAction(name: ActionName): Promise<CommandResult> | null {
  const action = ACTIONS[name];
  if (action.local) {
    action.local();
    return null;
  }
  const command = action.command(currentActionState());
  if (command === null) return null;
  const commands = Array.isArray(command) ? command : [command];
  return commands.length ? sendAll(commands) : null;
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
