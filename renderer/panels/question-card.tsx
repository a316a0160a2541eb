import { useShallow } from 'zustand/react/shallow';
import type { Locale, QuestionView } from '../../native-bridge/model/frame-types';
import { actionTitle, runAction, type ActionName } from '../actions';
import { useT } from '../i18n/use-t';
import { useAppStore, type AppStore } from '../store/app-store';
import { selectAnsweredStep, selectPendingQuestion } from '../store/lesson-selectors';
import { selectDismissedVerdict } from '../store/panel-slice';
import { selectLocale } from '../store/selectors';

const ANSWER_ACTIONS: ActionName[] = ['answer1', 'answer2', 'answer3', 'answer4'];

function choiceText(question: QuestionView, id: string | null, locale: Locale): string {
  return question.choices.find((c) => c.id === id)?.text[locale] ?? id ?? '';
}

/** The waiting question as primitives (frames repeat it as new objects). */
function pendingView(s: AppStore) {
  const pending = selectPendingQuestion(s);
  // Choices joined into one string: useShallow compares fields by identity, and a fresh array never matches.
  if (!pending) return { step: -1, prompt: '', choices: '' };
  return { step: pending.step, prompt: pending.question.prompt[s.locale], choices: pending.question.choices.map((c) => c.text[s.locale]).join('\u0000') };
}

/** The latest answered question, its answer and (once the step settled) the kernel's verdict. */
function answeredView(s: AppStore) {
  const step = selectAnsweredStep(s);
  const question = step?.question;
  if (!step || !question) return { step: -1, prompt: '', answer: '', correct: '', right: false, judged: false, evidence: '' };
  const verdict = question.verdict;
  return {
    step: step.index,
    prompt: question.prompt[s.locale],
    answer: choiceText(question, question.answer, s.locale),
    correct: verdict ? choiceText(question, verdict.correct, s.locale) : '',
    right: verdict !== null && verdict.correct === question.answer,
    judged: verdict !== null,
    evidence: verdict ? verdict.evidence[s.locale] : '',
  };
}

/**
 * "Predict, then reveal": before a step with a question runs, the learner
 * picks an answer (click or keys 1-4), which sends `answer` and then `step`;
 * once the step has settled the engine's verdict, read from the kernel, is
 * shown with its evidence.
 */
export function QuestionCard() {
  const t = useT();
  useAppStore(selectLocale);
  const pending = useAppStore(useShallow(pendingView));
  const answered = useAppStore(useShallow(answeredView));
  const dismissed = useAppStore(selectDismissedVerdict);
  const dismiss = useAppStore((s) => s.dismissVerdict);

  if (pending.step >= 0) {
    const choices = pending.choices.split('\u0000');
    return (
      <section className="panel question-card" data-testid="question-card" data-step={pending.step} aria-labelledby="question-title">
        <h2 id="question-title">{t('predict')}</h2>
        <p className="question-prompt" data-testid="question-prompt">
          {pending.prompt}
        </p>
        <ol className="question-choices">
          {choices.map((text, i) => {
            const name = ANSWER_ACTIONS[i]!;
            return (
              <li key={i}>
                <button type="button" className="choice" data-testid={`choice-${i + 1}`} title={actionTitle(name, t)} onClick={() => void runAction(name)}>
                  <kbd>{i + 1}</kbd>
                  <span>{text}</span>
                </button>
              </li>
            );
          })}
        </ol>
        <p className="question-hint">{t('predictHint', { count: choices.length })}</p>
      </section>
    );
  }
  if (answered.step < 0 || dismissed === answered.step) return null;
  const outcome = !answered.judged ? 'waiting' : answered.right ? 'right' : 'wrong';
  return (
    <section className={`panel question-card verdict-${outcome}`} data-testid="verdict-card" data-step={answered.step} data-outcome={outcome} aria-live="polite">
      <div className="verdict-head">
        <h2>{t('predict')}</h2>
        <button type="button" className="control small" data-testid="verdict-dismiss" onClick={() => dismiss(answered.step)}>
          {t('dismiss')}
        </button>
      </div>
      <p className="question-prompt">{answered.prompt}</p>
      <p className="verdict-answer">{t('yourAnswer', { answer: answered.answer })}</p>
      {outcome === 'waiting' && <p className="verdict-waiting">{t('waitingVerdict')}</p>}
      {outcome !== 'waiting' && (
        <>
          <p className="verdict-line" data-testid="verdict-line">
            {outcome === 'right' ? t('verdictRight') : t('verdictWrong', { correct: answered.correct })}
          </p>
          <p className="verdict-evidence" data-testid="verdict-evidence">
            <span className="verdict-evidence-label">{t('evidence')}: </span>
            <code>{answered.evidence}</code>
          </p>
        </>
      )}
    </section>
  );
}
