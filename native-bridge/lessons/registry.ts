/**
 * Every lesson the engine can run. Adding one: write `lessons/<id>.ts`
 * exporting a `Lesson`, import it here and add it to `allLessons`.
 */
import type { LessonSummary } from '../model/frame-types';
import type { Lesson } from './lesson-types';
import { pipeParentChild } from './pipe-parent-child';

export const allLessons: readonly Lesson[] = [pipeParentChild];

export function findLesson(id: string): Lesson | undefined {
  return allLessons.find((lesson) => lesson.id === id);
}

export function lessonSummaries(lessons: readonly Lesson[] = allLessons): LessonSummary[] {
  return lessons.map(({ id, title, summary, mechanism, steps }) => ({ id, title, summary, mechanism, stepCount: steps.length, params: [] }));
}
