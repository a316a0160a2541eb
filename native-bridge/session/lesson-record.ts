/**
 * What a lesson run has done so far, as the view shows it: each step's
 * status and result, the learner's answers and their verdicts, the claims
 * measured, the objects created, the lesson's processes and its error.
 * LessonRunner (lesson-runner.ts) extends it with the issuing of steps.
 */
import type { Actor } from '../actor/actor-host';
import { stepsOf, type Lesson, type LessonStep, type LessonVars, type StepFocus, type Verdict } from '../lessons/lesson-types';
import type { ClaimView, LessonParams, LessonView, LocalizedText, StepStatus } from '../model/frame-types';
import { englishOf } from '../lessons/death-words';
import type { LessonTempDir } from './lesson-temp-dir';
import { LessonWorkers } from './lesson-workers';

export interface RunnerOptions {
  /** Validated parameters (lessons/lesson-params.ts), defaults filled in. */
  params?: LessonParams;
  questionsOn?: boolean;
  /** Answers given before (kept across a step back). */
  answers?: ReadonlyMap<number, string>;
}

export class LessonRecord {
  readonly steps: LessonStep[];
  readonly params: LessonParams;
  questionsOn: boolean;
  /** Set by a step back: steps [from, to] (1-based) were re-run on these processes. */
  replayed: { from: number; to: number } | null = null;
  protected readonly statuses: StepStatus[];
  protected nextIndex = 0;
  /** role -> its process, in the order they started */
  protected readonly actors = new Map<string, Actor>();
  /** role -> the return of a call that is blocked in the kernel */
  protected readonly inFlight = new Map<string, Promise<void>>();
  protected readonly vars: LessonVars = {};
  protected readonly objects: string[] = [];
  /** step index -> its return as the code pane shows it (words in each language when it has any) */
  protected readonly results = new Map<number, string | LocalizedText>();
  protected readonly answers: Map<number, string>;
  protected readonly verdicts = new Map<number, Verdict>();
  protected readonly claimVerdicts = new Map<string, NonNullable<ClaimView['verdict']>>();
  protected readonly focus = new Map<number, StepFocus[]>();
  /** The last error, worded in each language when the runner words it (death-words.ts), else in English. */
  protected error: string | LocalizedText | null = null;
  /** Processes an op started that are not actors (the process pool's workers). */
  protected readonly workers: LessonWorkers;

  protected constructor(
    readonly lesson: Lesson,
    options: RunnerOptions,
    protected readonly tempDir: LessonTempDir | null,
  ) {
    this.params = options.params ?? {};
    this.steps = stepsOf(lesson, this.params);
    this.questionsOn = options.questionsOn ?? true;
    this.answers = new Map(options.answers ?? []);
    this.statuses = this.steps.map(() => 'pending');
    if (tempDir) this.vars.dir = tempDir.path;
    this.workers = new LessonWorkers(tempDir?.path ?? null);
  }

  get finished(): boolean {
    return this.nextIndex >= this.steps.length && this.inFlight.size === 0 && !this.statuses.includes('running');
  }

  get hasMoreSteps(): boolean {
    return this.nextIndex < this.steps.length;
  }

  get next(): number {
    return this.nextIndex;
  }

  /** The next step asks a question that has no answer yet (questions on): play stops before it. */
  get awaitingAnswer(): number | null {
    const step = this.steps[this.nextIndex];
    return this.questionsOn && step?.question && !this.answers.has(this.nextIndex) ? this.nextIndex : null;
  }

  get answersGiven(): ReadonlyMap<number, string> {
    return this.answers;
  }

  /** Records the learner's prediction; throws a message naming the problem. */
  answer(index: number, choice: string): void {
    const question = this.steps[index]?.question;
    if (!question) throw new Error(`step ${index + 1} asks no question`);
    if (index < this.nextIndex) throw new Error(`step ${index + 1} has already run: answer before it runs`);
    const ids = question.choices.map((c) => c.id);
    if (!ids.includes(choice)) throw new Error(`"${choice}" is not a choice of step ${index + 1} (choices: ${ids.join(', ')})`);
    this.answers.set(index, choice);
  }

  /** PIDs of every process the lesson started (some may have exited). */
  pids(): number[] {
    return [...[...this.actors.values()].map((actor) => actor.pid), ...this.workers.all()];
  }

  /** The lesson's private directory, when it has one. */
  get dir(): string | null {
    return this.tempDir?.path ?? null;
  }

  /** Pid of the shell that removes the directory if the engine dies (tests check it ends). */
  get dirWatchdogPid(): number | null {
    return this.tempDir?.watchdogPid ?? null;
  }

  view(playing: boolean, speed: number): LessonView {
    const { id, title, summary, programs, claims } = this.lesson;
    const busy = new Set([...this.inFlight.keys(), ...this.steps.filter((_, i) => this.statuses[i] === 'running').map((s) => s.role)]);
    return {
      id,
      title,
      summary,
      steps: this.steps.map((s, index) => ({
        index,
        role: s.role,
        code: s.code,
        explain: s.explain,
        status: this.statuses[index]!,
        program: s.program ?? '',
        line: s.line ?? 0,
        ...resultFields(this.results.get(index)),
        question:
          s.question && this.questionsOn
            ? {
                prompt: s.question.prompt,
                choices: s.question.choices,
                answer: this.answers.get(index) ?? null,
                verdict: this.verdicts.get(index) ?? null,
              }
            : null,
        ...(this.focus.has(index)
          ? { focus: this.focus.get(index)!.map((f) => ({ ...f, pid: this.actors.get(f.role)?.pid ?? 0 })) }
          : {}),
      })),
      next: this.nextIndex,
      playing,
      speed,
      finished: this.finished,
      roles: { ...Object.fromEntries([...this.actors].map(([role, actor]) => [role, actor.pid])), ...this.workers.roles() },
      idleRoles: [...this.actors].filter(([role, actor]) => actor.alive && !busy.has(role)).map(([role]) => role),
      objects: [...this.objects, ...this.workers.objects()],
      error: englishOf(this.error),
      errorText: typeof this.error === 'string' ? null : this.error,
      params: { ...this.params },
      programs,
      claims: (claims ?? []).map((c) => ({ id: c.id, claim: c.claim, verdict: this.claimVerdicts.get(c.id) ?? null })),
      questionsOn: this.questionsOn,
      replayed: this.replayed,
      ...(this.lesson.race ? { race: this.lesson.race(this.vars, this.params) } : {}),
    };
  }
}

/** A step's result as the view carries it: the English in `result`, every language in `resultText` when it has words. */
function resultFields(result: string | LocalizedText | undefined): { result: string | null; resultText?: LocalizedText } {
  if (result === undefined) return { result: null };
  return typeof result === 'string' ? { result } : { result: result.en, resultText: result };
}
