import { Icon, type IconName } from './icons';
import { ACTIONS, actionTitle, runAction, SPEED_PRESETS, type ActionName } from '../actions';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectPendingQuestionStep, selectQuestionsOn } from '../store/lesson-selectors';
import { selectLessonId, selectNextStep, selectPlaying, selectSpeed } from '../store/selectors';
import { withCurrent } from './with-current';

interface ButtonProps {
  name: ActionName;
  testId: string;
  icon: IconName;
  disabled: boolean;
  pressed?: boolean;
}

function ActionButton({ name, testId, icon, disabled, pressed }: ButtonProps) {
  const t = useT();
  const title = actionTitle(name, t);
  return (
    <button
      type="button"
      className="control"
      data-testid={testId}
      title={title}
      aria-label={title}
      aria-pressed={pressed}
      disabled={disabled}
      onClick={() => void runAction(name)}
    >
      <Icon name={icon} />
      <span className="control-label">{t(ACTIONS[name].label)}</span>
    </button>
  );
}

function speedLabel(speed: number): string {
  return `${speed}×`;
}

/** Play, pause, step, restart and speed: each a named action with its shortcut in the tooltip. */
export function PlaybackControls() {
  const t = useT();
  const lessonId = useAppStore(selectLessonId);
  const playing = useAppStore(selectPlaying);
  const speed = useAppStore(selectSpeed);
  const next = useAppStore(selectNextStep);
  const questionsOn = useAppStore(selectQuestionsOn);
  // A waiting prediction is answered first (keys 1-4): the answer runs the step.
  const questionWaits = useAppStore(selectPendingQuestionStep) !== null;
  const send = useAppStore((s) => s.send);
  const noLesson = lessonId === null;
  const presets = withCurrent<number>(SPEED_PRESETS, speed, (a, b) => Math.abs(a - b) < 1e-9, (a, b) => a - b);
  return (
    <div className="playback" role="toolbar" aria-label={t('lesson')}>
      <ActionButton name="play" testId="btn-play" icon="play" disabled={noLesson} pressed={playing} />
      <ActionButton name="pause" testId="btn-pause" icon="pause" disabled={noLesson} pressed={!playing && !noLesson} />
      <ActionButton name="stepBack" testId="btn-step-back" icon="stepBack" disabled={noLesson || next === 0} />
      <ActionButton name="step" testId="btn-step" icon="step" disabled={noLesson || questionWaits} />
      <ActionButton name="restart" testId="btn-restart" icon="restart" disabled={noLesson} />
      <ActionButton name="questions" testId="btn-questions" icon="question" disabled={noLesson} pressed={!noLesson && questionsOn} />
      <label className="speed" title={`${t('speed')} (${t('slower')} [ · ${t('faster')} ])`}>
        <span className="sr-only">{t('speed')}</span>
        <select
          data-testid="speed"
          disabled={noLesson}
          value={speed ?? 1}
          onChange={(e) => {
            e.currentTarget.blur();
            void send({ type: 'speed', value: Number(e.currentTarget.value) });
          }}
        >
          {presets.map((p) => (
            <option key={p} value={p}>
              {speedLabel(p)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
