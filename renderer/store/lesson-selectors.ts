import type { ClaimView, LessonProgram, LessonStepView, QuestionView } from '../../native-bridge/model/frame-types';
import type { AppStore } from './app-store';

/*
 * Named selectors for the lesson toolkit (code pane, predictions, claims,
 * step back). Each returns a value that stays the same object while the
 * engine's frames repeat it, so components re-render only on a change.
 */

const NO_PROGRAMS: LessonProgram[] = [];
const NO_CLAIMS: ClaimView[] = [];
const NO_ROLES: string[] = [];

export const selectPrograms = (s: AppStore): LessonProgram[] => s.frame?.lesson?.programs ?? NO_PROGRAMS;
export const selectClaims = (s: AppStore): ClaimView[] => s.frame?.lesson?.claims ?? NO_CLAIMS;
export const selectQuestionsOn = (s: AppStore): boolean => s.frame?.lesson?.questionsOn ?? true;
export const selectIdleRoles = (s: AppStore): string[] => s.frame?.lesson?.idleRoles ?? NO_ROLES;
export const selectReplayedFrom = (s: AppStore): number | null => s.frame?.lesson?.replayed?.from ?? null;
export const selectReplayedTo = (s: AppStore): number | null => s.frame?.lesson?.replayed?.to ?? null;
export const selectStepCount = (s: AppStore): number => s.frame?.lesson?.steps.length ?? 0;

/** The step being executed (running or blocked), else the next one to issue; null when none is left. */
export function currentStep(steps: LessonStepView[], next: number): LessonStepView | null {
  const inFlight = steps.filter((step) => step.status === 'running' || step.status === 'blocked');
  return inFlight.at(-1) ?? steps[next] ?? null;
}

export const selectCurrentStepIndex = (s: AppStore): number | null => {
  const lesson = s.frame?.lesson;
  return lesson ? (currentStep(lesson.steps, lesson.next)?.index ?? null) : null;
};

/** The question asked before the next step runs: questions on, the step not issued, no answer yet. */
export const selectPendingQuestion = (s: AppStore): { step: number; question: QuestionView } | null => {
  const lesson = s.frame?.lesson;
  if (!lesson || !lesson.questionsOn || lesson.finished) return null;
  const step = lesson.steps[lesson.next];
  if (!step?.question || step.status !== 'pending' || step.question.answer !== null) return null;
  return { step: step.index, question: step.question };
};

export const selectPendingQuestionStep = (s: AppStore): number | null => selectPendingQuestion(s)?.step ?? null;
export const selectPendingChoiceCount = (s: AppStore): number => selectPendingQuestion(s)?.question.choices.length ?? 0;

/** The latest question the learner answered (waiting for its verdict, or judged). */
export const selectAnsweredStep = (s: AppStore): LessonStepView | null => {
  const steps = s.frame?.lesson?.steps ?? [];
  for (let i = steps.length - 1; i >= 0; i -= 1) {
    const step = steps[i]!;
    if (step.question?.answer) return step;
  }
  return null;
};

/** Calls still asleep in the kernel once every step has been issued (a lesson that ends on a process blocked for good). */
export const selectAsleepAtEnd = (s: AppStore): number => {
  const lesson = s.frame?.lesson;
  if (!lesson || lesson.finished || lesson.next < lesson.steps.length) return 0;
  return lesson.steps.filter((step) => step.status === 'blocked').length;
};

/** The latest settled step that points at descriptors (e.g. the forgotten write end); -1 when none. */
export const selectFocusStep = (s: AppStore): number => {
  const steps = s.frame?.lesson?.steps ?? [];
  for (let i = steps.length - 1; i >= 0; i -= 1) {
    const step = steps[i]!;
    if (step.focus?.length && (step.status === 'blocked' || step.status === 'done' || step.status === 'failed')) return step.index;
  }
  return -1;
};
