import type { RaceResult } from './race-types';
import type { Snapshot } from './snapshot-types';
import type { TrafficEntry } from './traffic-types';

/** Languages every lesson text and UI string is written in. */
export type Locale = 'en' | 'zh-Hans' | 'zh-Hant';
export type LocalizedText = Record<Locale, string>;

/** One syscall executed (or being executed) by an actor process. */
export interface SyscallEvent {
  seq: number;
  /** Milliseconds since the epoch. */
  time: number;
  pid: number;
  /** Lesson role of the process, e.g. "parent", "child". */
  role: string;
  /** Index of the lesson step that issued this call. */
  step: number;
  syscall: string;
  /** "call": issued; "blocked": the kernel shows the process asleep in it; "return": it returned. */
  phase: 'call' | 'blocked' | 'return';
  fd: number | null;
  /** Bytes asked for (read) or offered (write). */
  bytes: number | null;
  /** Return value, when phase is "return". */
  result: number | null;
  /** errno name (e.g. "EPIPE") when the call failed. */
  errno: string | null;
  /** Data moved by read/write, base64. */
  data: string | null;
  /** Human summary, e.g. "read(3, 64) = 12". */
  text: string;
  /**
   * Snapshot object id (e.g. "pipe:4614", "fifo:812") of the descriptor `fd`,
   * read when the call was issued: the picture moves bytes into (write
   * return) and out of (read return) this object's ring. Absent when the call
   * has no such descriptor.
   */
  object?: string | null;
}

export type StepStatus = 'pending' | 'running' | 'blocked' | 'done' | 'failed';

/** IPC mechanism a lesson teaches (the picker groups and labels lessons by it). */
export type LessonMechanism = 'pipe' | 'fifo' | 'shm' | 'msg' | 'sem' | 'signal' | 'socket' | 'mmap' | 'lock' | 'pool';

/**
 * A complete, compilable C program shown beside the picture (one per program
 * the lesson's processes run: a fork lesson has one, a FIFO server and client
 * two). Written by us; compiled by a test with `cc -Wall -Werror`.
 */
export interface LessonProgram {
  /** File name, e.g. "pipe_both_ways.c": the code pane's tab, and the name Copy suggests. */
  file: string;
  /** Roles whose steps point into this program (e.g. ["parent", "child"]). */
  roles: string[];
  /**
   * The source, once per language: only comments differ, so every version
   * has the same lines and a step's `line` points at the same code in each.
   */
  source: LocalizedText;
}

/** One answer of a prediction question. */
export interface QuestionChoice {
  id: string;
  text: LocalizedText;
}

/**
 * "Predict, then reveal": asked before a step runs. The verdict is computed by
 * the engine from the kernel's state once the step has settled (returned or
 * blocked), never from a stored answer alone.
 */
export interface QuestionView {
  prompt: LocalizedText;
  /** 2 to 4 choices; keys 1-4 pick them in order. */
  choices: QuestionChoice[];
  /** The learner's answer (choice id), null while unanswered. */
  answer: string | null;
  /** Set once the step has settled: the choice the kernel's state shows, and the evidence read. */
  verdict: { correct: string; evidence: LocalizedText } | null;
}

/**
 * A factual statement from the course material, in our words, with the
 * kernel's verdict measured in this run (e.g. F_GETPIPE_SZ read from the
 * lesson's own pipe).
 */
export interface ClaimView {
  id: string;
  claim: LocalizedText;
  /** null until the lesson reaches a step where the kernel can answer. */
  verdict: {
    /** "holds": the kernel agrees; "differs": it shows otherwise; "partly": true with a caveat. */
    holds: 'holds' | 'differs' | 'partly';
    text: LocalizedText;
    /** What was measured, as shown (e.g. {"F_GETPIPE_SZ": 65536, "PIPE_BUF": 4096}). */
    measured: Record<string, string | number>;
    /** Step after which it was measured. */
    step: number;
  } | null;
}

export interface LessonStepView {
  index: number;
  role: string;
  /** The call as C would write it, e.g. `write(fd[1], "hello world\n", 12)`. */
  code: string;
  explain: LocalizedText;
  status: StepStatus;
  /** Program (LessonProgram.file) and 1-based line this step executes. */
  program: string;
  line: number;
  /** The live return as the code pane shows it beside the line ("= 12", "= -1 EPIPE"), once returned. */
  result: string | null;
  /** The same return when it has words in it ("no return: the process died: killed by signal 9 (SIGKILL)"), in each language. */
  resultText?: LocalizedText;
  /** Asked before this step runs, when questions are on; null for most steps. */
  question: QuestionView | null;
  /**
   * Descriptors the picture should point at once the step has settled, and
   * why: e.g. the write end a reader forgot to close, or the read end a
   * parent sleeps on forever. Absent or empty for most steps.
   */
  focus?: { role: string; pid: number; fd: number; note: LocalizedText }[];
}

/** A parameter a learner may choose when starting a lesson (validated by the engine). */
export type LessonParamSpec =
  | {
      name: string;
      label: LocalizedText;
      kind: 'choice';
      choices: { value: string; label: LocalizedText }[];
      default: string;
    }
  | { name: string; label: LocalizedText; kind: 'int'; min: number; max: number; default: number }
  /** A line the learner types (e.g. what a client sends): 1 to maxBytes UTF-8 bytes, no control or format characters. */
  | { name: string; label: LocalizedText; kind: 'text'; maxBytes: number; default: string };

export type LessonParams = Record<string, string | number>;

export interface LessonView {
  id: string;
  title: LocalizedText;
  summary: LocalizedText;
  steps: LessonStepView[];
  /** Index of the next step to issue; equals steps.length when all are issued. */
  next: number;
  playing: boolean;
  /** Playback speed multiplier, 0.1 to 4. */
  speed: number;
  finished: boolean;
  /** PIDs of the lesson's processes by role (role -> pid). */
  roles: Record<string, number>;
  /**
   * Roles whose process is alive with no lesson call in flight: it waits for
   * ipcscope's next command (the picture says "paused by ipcscope between
   * steps" instead of showing an unexplained epoll_wait).
   */
  idleRoles: string[];
  /** Object ids the lesson created (highlighted in the picture). */
  objects: string[];
  /** Last error the lesson hit, if any (in English: the CLI and logs print it). */
  error: string | null;
  /** The same error in each language, when the engine words it (a step ended by a dying or stopped process, a failed call). */
  errorText?: LocalizedText | null;
  /** Parameters this run was started with (defaults filled in). */
  params: LessonParams;
  programs: LessonProgram[];
  claims: ClaimView[];
  /** Questions are asked (false for a lecture: steps run without stopping). */
  questionsOn: boolean;
  /**
   * Set after a step back: steps [from, to] (1-based, as shown) were re-run
   * at full speed on new processes; null otherwise.
   */
  replayed: { from: number; to: number } | null;
  /** The IPC race's numbers measured so far in this run (lessons/race/ipc-race.ts); absent for other lessons. */
  race?: RaceResult | null;
}

/** What the engine streams to a view, once per tick. */
export interface Frame extends Snapshot {
  seq: number;
  /** Sampling rate in Hz in force for this frame. */
  rateHz: number;
  events: SyscallEvent[];
  lesson: LessonView | null;
  /**
   * The real processes observed (command "observe"), null or absent while a
   * lesson or nothing runs. `gone`: named PIDs that exited, or whose PID now
   * belongs to another process (start time differs), since observing began.
   * `exit`: how the command of `ipcscope run` ended, once it has.
   */
  observing?: ObservingView | null;
  /** While observing: what moved since the previous frame, from /proc/PID/io (absent otherwise). */
  traffic?: TrafficEntry[] | null;
}

export type ObservingView =
  | { pids: number[]; tree: boolean; gone: number[]; exit?: ExitStatus }
  | { all: true };

/** How a process ended: its exit code, or the signal that killed it. */
export type ExitStatus = { code: number; signal: null } | { code: null; signal: string };

export interface LessonSummary {
  id: string;
  title: LocalizedText;
  summary: LocalizedText;
  mechanism: LessonMechanism;
  /** Number of steps (with default parameters). */
  stepCount: number;
  params: LessonParamSpec[];
}
