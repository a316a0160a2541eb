import type { Snapshot } from './snapshot-types';

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
}

export type StepStatus = 'pending' | 'running' | 'blocked' | 'done' | 'failed';

export interface LessonStepView {
  index: number;
  role: string;
  /** The call as C would write it, e.g. `write(fd[1], "hello world\n", 12)`. */
  code: string;
  explain: LocalizedText;
  status: StepStatus;
}

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
  /** Object ids the lesson created (highlighted in the picture). */
  objects: string[];
  /** Last error the lesson hit, if any. */
  error: string | null;
}

/** What the engine streams to a view, once per tick. */
export interface Frame extends Snapshot {
  seq: number;
  /** Sampling rate in Hz in force for this frame. */
  rateHz: number;
  events: SyscallEvent[];
  lesson: LessonView | null;
}

export interface LessonSummary {
  id: string;
  title: LocalizedText;
  summary: LocalizedText;
}
