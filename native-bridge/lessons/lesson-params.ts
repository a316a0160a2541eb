/**
 * Checks lesson.start parameters against the lesson's LessonParamSpec list
 * (commands.ts checked the shape only) and fills in defaults.
 */
import type { LessonParams, LessonParamSpec } from '../model/frame-types';
import type { Lesson } from './lesson-types';

export class LessonParamError extends Error {
  override name = 'LessonParamError';
}

/** Why `value` is not a line a learner may type for a lesson, or null: 1 to maxBytes UTF-8 bytes, no control or format (bidi) characters. */
function textProblem(value: unknown, maxBytes: number): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'must be a line of text';
  const bytes = Buffer.byteLength(value);
  if (bytes > maxBytes) return `is ${bytes} bytes in UTF-8; at most ${maxBytes}`;
  if (/[\p{Cc}\p{Cf}]/u.test(value)) return 'may not hold control or formatting characters (a newline, a tab, a direction mark)';
  return null;
}

export function defaultParams(specs: readonly LessonParamSpec[]): LessonParams {
  return Object.fromEntries(specs.map((spec) => [spec.name, spec.default]));
}

/** The parameters to run `lesson` with; throws a LessonParamError naming the problem and what is allowed. */
export function validateParams(lesson: Lesson, given: LessonParams = {}): LessonParams {
  const specs = lesson.params ?? [];
  const params = defaultParams(specs);
  for (const [name, value] of Object.entries(given)) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      const known = specs.map((s) => s.name).join(', ');
      throw new LessonParamError(`lesson "${lesson.id}" has no parameter "${name}" (${known ? `it takes: ${known}` : 'it takes none'})`);
    }
    if (spec.kind === 'choice') {
      const allowed = spec.choices.map((c) => c.value);
      if (typeof value !== 'string' || !allowed.includes(value)) {
        throw new LessonParamError(`parameter "${name}" must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
      }
    } else if (spec.kind === 'text') {
      const problem = textProblem(value, spec.maxBytes);
      if (problem) throw new LessonParamError(`parameter "${name}" ${problem}`);
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
      throw new LessonParamError(`parameter "${name}" must be a whole number from ${spec.min} to ${spec.max} (got ${JSON.stringify(value)})`);
    }
    params[name] = value;
  }
  return params;
}
