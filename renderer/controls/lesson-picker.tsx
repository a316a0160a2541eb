import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectLesson, selectLessons, selectLocale } from '../store/selectors';
import { withCurrent } from './with-current';

/** Chooses the lesson the engine runs; the list comes from the engine ("lessons.list"). */
export function LessonPicker() {
  const t = useT();
  const lessons = useAppStore(selectLessons);
  const current = useAppStore(selectLesson);
  const locale = useAppStore(selectLocale);
  const send = useAppStore((s) => s.send);
  const setSideTab = useAppStore((s) => s.setSideTab);
  const running = current && { id: current.id, title: current.title, summary: current.summary };
  const options = withCurrent(lessons, running, (a, b) => a.id === b.id);
  return (
    <label className="lesson-picker">
      <span className="sr-only">{t('lesson')}</span>
      <select
        data-testid="lesson-picker"
        value={current?.id ?? ''}
        onChange={(e) => {
          const id = e.currentTarget.value;
          // Hand the keyboard back to the shortcuts (a focused select would eat "s" and Space).
          e.currentTarget.blur();
          if (!id) {
            void send({ type: 'lesson.stop' });
            return;
          }
          /* a lesson starts at its steps, whatever tab the side column was on */
          void send({ type: 'lesson.start', lesson: id }).then((result) => result.ok && setSideTab('steps'));
        }}
      >
        <option value="">{t('noLesson')}</option>
        {options.map((lesson) => (
          <option key={lesson.id} value={lesson.id} title={lesson.summary[locale]}>
            {lesson.title[locale]}
          </option>
        ))}
      </select>
    </label>
  );
}
