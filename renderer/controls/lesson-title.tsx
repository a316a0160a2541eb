import { useShallow } from 'zustand/react/shallow';
import type { LessonParams, LessonSummary, Locale } from '../../native-bridge/model/frame-types';
import { useAppStore, type AppStore } from '../store/app-store';
import { selectLessons, selectLocale } from '../store/selectors';

/** "Order: unlucky" for each parameter the run was started with, in the UI language where the lesson names it. */
export function paramChips(params: LessonParams, summary: LessonSummary | undefined, locale: Locale): string[] {
  return Object.entries(params).map(([name, value]) => {
    const spec = summary?.params?.find((p) => p.name === name);
    const label = spec?.label[locale] ?? name;
    const shown = spec?.kind === 'choice' ? (spec.choices.find((c) => c.value === value)?.label[locale] ?? String(value)) : String(value);
    return `${label}: ${shown}`;
  });
}

function titleView(s: AppStore) {
  const lesson = s.frame?.lesson;
  if (!lesson) return null;
  const summary = selectLessons(s).find((l) => l.id === lesson.id);
  return { title: lesson.title[s.locale], summary: lesson.summary[s.locale], chips: paramChips(lesson.params ?? {}, summary, s.locale).join('\u0000') };
}

/** The running lesson's title, its one-line summary, and the parameters it was started with. */
export function LessonTitle() {
  useAppStore(selectLocale);
  const view = useAppStore(useShallow((s) => titleView(s) ?? { title: '', summary: '', chips: '' }));
  if (!view.title) return null;
  return (
    <div className="lesson-title">
      <h1 title={view.title}>{view.title}</h1>
      {view.chips &&
        view.chips.split('\u0000').map((chip) => (
          <span key={chip} className="param-chip" data-testid="param-chip" title={chip}>
            {chip}
          </span>
        ))}
      <p title={view.summary}>{view.summary}</p>
    </div>
  );
}
