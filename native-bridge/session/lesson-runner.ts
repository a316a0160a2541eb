/**
 * Runs one lesson on a team of actor processes, one step (one syscall) at a
 * time. A step is done when its syscall returns, or "blocked" as soon as the
 * kernel shows its actor asleep in that very syscall (/proc/PID/syscall and
 * state, see actor/kernel-wait.ts); the next step may then be issued. A step
 * for an actor whose previous call is still blocked waits until it returns.
 *
 * Cause before effect: when a blocked call returns while another step's call
 * is in progress (a write that woke a sleeping read, a close that gave it
 * EOF, an open that released a FIFO open), the in-progress call's return is
 * reported first, whichever reply reached the engine first.
 *
 * Once a step has settled, its question's verdict and the claims measured
 * after it are computed from the kernel (settled-step.ts).
 *
 * A process that dies in a call ends its step with how it ended, as the
 * kernel tells its parent (actor-exit.ts). An op that waits on another
 * process (OpSpec.waitsOnPeer) is told of a death by SIGCHLD until it returns.
 */
import { ActorTeam, SpawnChildError, type Actor, type ActorOutput, type CallReply } from '../actor/actor-host';
import { actorExit, nudgeOnPeerDeath, type ActorExit } from '../actor/actor-exit';
import { findOp } from '../actor/ops/registry';
import type { OpArgs } from '../actor/actor-protocol';
import type { Lesson, LessonStep } from '../lessons/lesson-types';
import type { LocalizedText, StepStatus, SyscallEvent } from '../model/frame-types';
import { callText, resultText, shownResult } from './event-text';
import { LessonRecord, type RunnerOptions } from './lesson-record';
import { LessonTempDir } from './lesson-temp-dir';
import { settledStep } from './settled-step';
import { englishOf, joinedWords, stoppedWords } from '../lessons/death-words';
import { objectOfFd, returnRecord, stepEvent, syscallOf, type RunnerEvent } from './step-events';

export type { RunnerEvent } from './step-events';

export type { RunnerOptions } from './lesson-record';

export interface RunnerHooks {
  onEvent(event: RunnerEvent): void;
  /** Something the view shows changed without an event (a verdict, a claim). */
  onChange?(): void;
}

export interface StepOutcome {
  /** Index of the step issued, -1 when nothing was left to issue. */
  index: number;
  status: StepStatus | 'finished' | 'stopped';
}

export class LessonRunner extends LessonRecord {
  /** the step whose call is in progress, settled once it returned or blocked */
  private current: Promise<void> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** the lesson error when a process's death last set it */
  private deathTold: LocalizedText | null = null;

  private constructor(
    lesson: Lesson,
    private readonly team: ActorTeam,
    private readonly hooks: RunnerHooks,
    options: RunnerOptions,
    tempDir: LessonTempDir | null,
  ) {
    super(lesson, options, tempDir);
  }

  /** Starts the lesson's first processes; nothing else happens until step(). */
  static async start(lesson: Lesson, hooks: RunnerHooks, options: RunnerOptions = {}): Promise<LessonRunner> {
    const team = await ActorTeam.start();
    let tempDir: LessonTempDir | null = null;
    try {
      tempDir = lesson.tempDir ? LessonTempDir.create() : null;
      const runner = new LessonRunner(lesson, team, hooks, options, tempDir);
      /* the engine starts each of these itself: they share no ancestry but the engine */
      for (const role of [lesson.firstRole, ...(lesson.alsoStarts ?? [])]) await runner.adopt(await team.spawn(role));
      return runner;
    } catch (err) {
      await team.dispose();
      await tempDir?.dispose();
      throw err;
    }
  }

  /** What the lesson's processes write on stdout/stderr (children share their engine-spawned ancestor's pipe). */
  onOutput(listener: (output: ActorOutput) => void): () => void {
    return this.team.onOutput(listener);
  }

  /** Issues the next step; settles when it returned or blocked. Calls are serialized. */
  step(): Promise<StepOutcome> {
    const outcome = this.chain.then(() => this.issueNext());
    this.chain = outcome.catch(() => undefined);
    return outcome;
  }

  /** Kills and reaps every process of the lesson; its kernel objects die with their holders; its directory goes. */
  async dispose(): Promise<void> {
    this.disposed = true;
    /* workers first (their group is killed while it surely exists), reaped once their parent actor is gone */
    await this.workers.dispose(() => this.team.dispose());
    await this.tempDir?.dispose();
  }

  private async adopt(actor: Actor): Promise<void> {
    this.actors.set(actor.role, actor);
    /* prctl(PR_SET_NAME): ps, /proc/PID/comm and the picture all say the role */
    await actor.call('set-name', { name: actor.role.slice(0, 15) });
  }

  private async issueNext(): Promise<StepOutcome> {
    if (this.disposed) return { index: -1, status: 'stopped' };
    const index = this.nextIndex;
    const step = this.steps[index];
    if (!step) return { index: -1, status: 'finished' };
    this.nextIndex += 1;
    /* "re-ran steps 1-N" describes the state a step back left: the next step moves on from it */
    this.replayed = null;
    /* the actor is still asleep in its previous call: this step waits for it to return */
    await this.inFlight.get(step.role);
    if (this.disposed) return { index, status: 'stopped' };
    const actor = this.actors.get(step.role);
    if (!actor?.alive) return this.fail(index, `step ${index + 1}: no live "${step.role}" process`);
    let args: OpArgs;
    try {
      args = step.args?.(this.vars) ?? {};
    } catch (err) {
      return this.fail(index, `step ${index + 1}: ${(err as Error).message}`);
    }
    let settle!: () => void;
    this.current = new Promise<void>((resolve) => (settle = resolve));
    try {
      return await this.run(index, step, actor, args);
    } finally {
      settle();
      this.current = null;
    }
  }

  private async run(index: number, step: LessonStep, actor: Actor, args: OpArgs): Promise<StepOutcome> {
    this.statuses[index] = 'running';
    const syscall = syscallOf(step);
    const object = typeof args.fd === 'number' ? objectOfFd(actor.pid, args.fd) : null;
    this.emit(index, step, actor, 'call', args, object, { text: callText(syscall, args, { spawned: step.spawns }) });
    if (step.spawns) return this.fork(index, step, actor);
    const reply = actor.call(step.op, args);
    if (findOp(step.op)?.waitsOnPeer) nudgeOnPeerDeath(actor, this.actors.values(), reply, () => this.disposed);
    let watched: 'blocked' | 'returned' | 'stopped';
    try {
      watched = await actor.watchBlocked(step.op, args, reply);
    } catch (err) {
      /* no answer from /proc (e.g. EMFILE): say so, and still wait for the call before the role's next step */
      this.returnLater(index, step, actor, args, object, reply);
      return this.fail(index, `step ${index + 1}: cannot watch the ${step.role} process: ${(err as Error).message}`);
    }
    if (watched !== 'returned' && !this.disposed) {
      this.statuses[index] = 'blocked';
      if (watched === 'stopped') {
        this.error = stoppedWords(step.role, syscall);
      } else {
        this.emit(index, step, actor, 'blocked', args, object, { text: `${callText(syscall, args)} /* asleep in the kernel */` });
      }
      this.returnLater(index, step, actor, args, object, reply);
      await this.settled(index, step, null);
      return { index, status: 'blocked' };
    }
    const r = await reply;
    this.finish(index, step, actor, args, object, r, await this.exitOf(step, actor, r));
    await this.settled(index, step, r);
    return { index, status: this.statuses[index]! };
  }

  /** The call has not returned (asleep, stopped, or unwatchable): it finishes when it does; the role's next step waits for it. */
  private returnLater(index: number, step: LessonStep, actor: Actor, args: OpArgs, object: string | null, reply: Promise<CallReply>): void {
    const mine = this.current;
    const returned = reply.then(async (r) => {
      const exit = await this.exitOf(step, actor, r);
      /* a call in progress when this one returns is what woke it: its return is told first */
      const waking = this.current;
      if (waking && waking !== mine) await waking;
      if (englishOf(this.error) === stoppedWords(step.role, syscallOf(step)).en) this.error = null;
      if (this.statuses[index] === 'blocked') this.finish(index, step, actor, args, object, r, exit);
    });
    this.inFlight.set(step.role, returned);
    void returned.then(() => {
      if (this.inFlight.get(step.role) === returned) this.inFlight.delete(step.role);
      this.hooks.onChange?.();
    });
  }

  /** How the step's process ended, when its call got no reply because it died (not for exit: that is its own step). */
  private async exitOf(step: LessonStep, actor: Actor, reply: CallReply): Promise<ActorExit | null> {
    return reply.result === null && step.op !== 'exit' && !this.disposed ? actorExit(actor) : null;
  }

  private async fork(index: number, step: LessonStep, actor: Actor): Promise<StepOutcome> {
    const spawning = actor.spawnChild(step.spawns!);
    /* a stopped parent cannot spawn: say so at once, and finish the fork once it is continued */
    const watched = await actor.watchBlocked(step.op, {}, spawning).catch(() => 'returned' as const);
    if (watched === 'stopped' && !this.disposed) {
      this.statuses[index] = 'blocked';
      this.error = stoppedWords(step.role, syscallOf(step));
      const forked = this.completeFork(index, step, actor, spawning).then(() => undefined);
      this.inFlight.set(step.role, forked);
      void forked.then(() => {
        if (this.inFlight.get(step.role) === forked) this.inFlight.delete(step.role);
      });
      return { index, status: 'blocked' };
    }
    return this.completeFork(index, step, actor, spawning);
  }

  private async completeFork(
    index: number,
    step: LessonStep,
    actor: Actor,
    spawning: Promise<{ child: Actor; reply: CallReply }>,
  ): Promise<StepOutcome> {
    try {
      const { child, reply } = await spawning;
      if (this.disposed) return { index, status: 'stopped' };
      if (englishOf(this.error) === stoppedWords(step.role, syscallOf(step)).en) this.error = null;
      await this.adopt(child);
      this.finish(index, step, actor, {}, null, reply);
      await this.settled(index, step, reply);
    } catch (err) {
      if (this.disposed) return { index, status: 'stopped' };
      return this.fail(index, `fork failed: ${err instanceof SpawnChildError ? err.reason : (err as Error).message}`);
    }
    return { index, status: this.statuses[index]! };
  }

  /** The step returned or blocked: judge its question and measure the claims that wait for it, from the kernel. */
  private async settled(index: number, step: LessonStep, reply: CallReply | null): Promise<void> {
    /* a failed step keeps the error that says why; there is no kernel answer to judge */
    if (this.disposed || this.statuses[index] === 'failed') return;
    const claims = (this.lesson.claims ?? []).filter((c) => step.id !== undefined && c.after === step.id);
    if (!step.question && claims.length === 0 && !step.focus) return;
    const state = settledStep(index, this.statuses[index]!, reply, this.vars, this.params, this.actors);
    try {
      if (step.focus) this.focus.set(index, step.focus(this.vars));
      if (step.question) this.verdicts.set(index, await step.question.judge(state));
      for (const claim of claims) this.claimVerdicts.set(claim.id, { ...(await claim.measure(state)), step: index });
    } catch (err) {
      if (!this.disposed) this.error = `step ${index + 1}: could not read the kernel's answer: ${(err as Error).message}`;
    }
    this.hooks.onChange?.();
  }

  private finish(
    index: number,
    step: LessonStep,
    actor: Actor,
    args: OpArgs,
    object: string | null,
    reply: CallReply,
    exit: ActorExit | null = null,
  ): void {
    if (this.disposed) return;
    this.workers.note(reply.data);
    const record = returnRecord(step, reply, this.vars, this.params, exit);
    this.statuses[index] = record.status;
    if (record.result !== null) this.results.set(index, record.result);
    /* a death a peer's step has already told (its wait ended by it, naming this PID) keeps that fuller account */
    const told = exit !== null && englishOf(this.error)?.includes(`(PID ${exit.pid})`) === true;
    if (record.error !== null && !told) {
      /* two deaths at once (the echo killed, the racer by SIGPIPE at its next write to their FIFO): both are told */
      const error = exit !== null && this.deathTold !== null && this.error === this.deathTold ? joinedWords(this.deathTold, record.error) : record.error;
      this.error = error;
      if (exit !== null) this.deathTold = error;
    }
    if (reply.result !== null && reply.result >= 0) {
      step.save?.({ ...reply, result: reply.result }, this.vars);
      const created = reply.data?.object;
      if (typeof created === 'string' && !this.objects.includes(created)) this.objects.push(created);
    }
    const fds = Array.isArray(reply.data?.fds) ? (reply.data.fds as number[]) : undefined;
    const read = typeof reply.data?.bytes === 'string' ? reply.data.bytes : null;
    const call = callText(syscallOf(step), args, { fds, spawned: step.spawns });
    this.emit(index, step, actor, 'return', args, object, {
      result: reply.result,
      errno: record.errno,
      ...(read === null ? {} : { data: read }),
      text: resultText(call, shownResult(reply.data) ?? reply.result, record.errno),
    });
  }

  private fail(index: number, message: string): StepOutcome {
    this.statuses[index] = 'failed';
    this.error = message;
    return { index, status: 'failed' };
  }

  private emit(
    index: number,
    step: LessonStep,
    actor: Actor,
    phase: SyscallEvent['phase'],
    args: OpArgs,
    object: string | null,
    extra: Partial<RunnerEvent> & { text: string },
  ): void {
    if (!this.disposed) this.hooks.onEvent(stepEvent(index, step, actor, phase, args, object, extra));
  }
}
