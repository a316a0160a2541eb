import type { LessonStepView, Locale } from '../../native-bridge/model/frame-types';
import { currentStep } from '../store/lesson-selectors';

/** How the code pane marks a line: the one executing, the next to run, or done (greyed). */
export type LineMark = 'current' | 'next' | 'done';

export interface LineState {
  line: number;
  mark: LineMark;
  /** Return value shown beside the line ("= 12"), from the latest step on it that returned. */
  result: string | null;
  failed: boolean;
}

/**
 * Marks of one program's lines from the steps that point into it. A line run
 * twice (a loop) shows the latest result, in `locale`; the executing line wins over done.
 */
export function lineStates(steps: LessonStepView[], next: number, file: string, locale: Locale = 'en'): LineState[] {
  const current = currentStep(steps, next);
  const inFlight = current !== null && (current.status === 'running' || current.status === 'blocked');
  const byLine = new Map<number, LineState>();
  for (const step of steps) {
    if (step.program !== file || step.line < 1) continue;
    const done = step.status === 'done' || step.status === 'failed';
    if (!done) continue;
    /* a result with words in it ("no return: the process died: ...") comes in each language */
    const result = step.resultText?.[locale] ?? step.result;
    byLine.set(step.line, { line: step.line, mark: 'done', result: result ?? byLine.get(step.line)?.result ?? null, failed: step.status === 'failed' });
  }
  if (current && current.program === file && current.line >= 1) {
    const previous = byLine.get(current.line);
    byLine.set(current.line, { line: current.line, mark: inFlight ? 'current' : 'next', result: inFlight ? null : (previous?.result ?? null), failed: false });
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

/** One string per marked line: cheap to compare between frames (useShallow). */
export function encodeLineStates(states: LineState[]): string[] {
  return states.map((s) => JSON.stringify([s.line, s.mark, s.result, s.failed]));
}

export function decodeLineStates(encoded: string[]): Map<number, LineState> {
  const map = new Map<number, LineState>();
  for (const text of encoded) {
    const [line, mark, result, failed] = JSON.parse(text) as [number, LineMark, string | null, boolean];
    map.set(line, { line, mark, result, failed });
  }
  return map;
}
