/**
 * What a lesson step points at once it has settled (LessonStepView.focus):
 * the forgotten write end, the stuck reader's own write end. The picture
 * marks each descriptor's edge with a number; the notes under the picture
 * say, in the learner's language, why that descriptor matters.
 */
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../i18n/use-t';
import { useAppStore, type AppStore } from '../store/app-store';
import { selectFocusStep } from '../store/lesson-selectors';

interface FocusRow {
  pid: number;
  fd: number;
  role: string;
  note: string;
}

/** The focus rows as one string per field (frames repeat them as new objects). */
function focusKey(s: AppStore): string {
  const index = selectFocusStep(s);
  const focus = index < 0 ? [] : (s.frame?.lesson?.steps[index]?.focus ?? []);
  return JSON.stringify(focus.map((f): FocusRow => ({ pid: f.pid, fd: f.fd, role: f.role, note: f.note[s.locale] })));
}

function useFocusRows(): FocusRow[] {
  const key = useAppStore(useShallow(focusKey));
  return JSON.parse(key) as FocusRow[];
}

/** "pid:fd" -> the 1-based number its note carries. */
export function useFocusMarks(): Map<string, number> {
  const rows = useFocusRows();
  return new Map(rows.map((row, i) => [`${row.pid}:${row.fd}`, i + 1]));
}

export function FocusNotes() {
  const t = useT();
  const rows = useFocusRows();
  if (rows.length === 0) return null;
  return (
    <section className="focus-notes" data-testid="focus-notes" aria-label={t('focusTitle')}>
      <h2>{t('focusTitle')}</h2>
      <ol>
        {rows.map((row, i) => (
          <li key={`${row.pid}:${row.fd}`} data-testid={`focus-note-${i + 1}`}>
            <span className="focus-number">{i + 1}</span>
            <strong>{t('focusFd', { fd: row.fd, role: row.role })}</strong> {row.note}
          </li>
        ))}
      </ol>
    </section>
  );
}
