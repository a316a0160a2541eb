import type { LessonView, Locale } from '../../native-bridge/model/frame-types';
import { translate, type StringKey, type Translate } from '../i18n/strings';
import type { AppStore } from './app-store';

/* Named selectors: components pick one small value each. */
export const selectLesson = (s: AppStore): LessonView | null => s.frame?.lesson ?? null;
export const selectLessonId = (s: AppStore): string | null => s.frame?.lesson?.id ?? null;
export const selectPlaying = (s: AppStore): boolean => s.frame?.lesson?.playing ?? false;
export const selectSpeed = (s: AppStore): number | null => s.frame?.lesson?.speed ?? null;
export const selectRateHz = (s: AppStore): number | null => s.frame?.rateHz ?? null;
export const selectFrameSeq = (s: AppStore): number | null => s.frame?.seq ?? null;
export const selectSteps = (s: AppStore) => s.frame?.lesson?.steps ?? EMPTY;
export const selectStepStatuses = (s: AppStore) => (s.frame?.lesson?.steps ?? EMPTY).map((step) => step.status);
export const selectNextStep = (s: AppStore): number => s.frame?.lesson?.next ?? 0;
/** The lesson's error in the chosen language when the engine words it in each (a step a dying process ended), else as sent. */
export const selectLessonError = (s: AppStore): string | null => s.frame?.lesson?.errorText?.[s.locale] ?? s.frame?.lesson?.error ?? null;
export const selectLessonFinished = (s: AppStore): boolean => s.frame?.lesson?.finished ?? false;
export const selectEvents = (s: AppStore) => s.events;
export const selectStdout = (s: AppStore) => s.stdout;
export const selectStatus = (s: AppStore): string => s.status;
export const selectLessons = (s: AppStore) => s.lessons;
export const selectCommandError = (s: AppStore): string | null => s.commandError;
export const selectLocale = (s: AppStore): Locale => s.locale;
export const selectTheme = (s: AppStore) => s.theme;
export const selectLecture = (s: AppStore): boolean => s.lecture;
export const selectShowAll = (s: AppStore): boolean => s.showAll;
export const selectSelection = (s: AppStore): string | null => s.selection;

const EMPTY: never[] = [];

/** A translate function bound to a locale. */
export function translatorFor(locale: Locale): Translate {
  return (key: StringKey, values?: Record<string, string | number>) => translate(locale, key, values);
}
