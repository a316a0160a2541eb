import { useEffect } from 'react';
import type { ObserveScope } from '../../native-bridge/model/commands';
import type { ObservingView } from '../../native-bridge/model/frame-types';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectLessons, selectLocale } from '../store/selectors';
import { backToLesson, backToObserving, followTraffic, openPicker, scopeOfView, stopObserving, useObserveStore } from './observe-store';

const selectObserving = (s: { frame: { observing?: ObservingView | null } | null }): ObservingView | null => s.frame?.observing ?? null;

function pidList(pids: number[]): string {
  return pids.join(', ');
}

/**
 * What is observed now (PIDs, with descendants, or the whole machine), the
 * named PIDs gone, how `ipcscope run`'s command ended, and one click to stop,
 * or to go back to the lesson left for it (the header opens the picker).
 */
export function ScopeBar() {
  const t = useT();
  const observing = useAppStore(selectObserving);
  const lastLesson = useObserveStore((s) => s.lastLesson);
  const lessons = useAppStore(selectLessons);
  const locale = useAppStore(selectLocale);
  const setChooserOpen = useAppStore((s) => s.setChooserOpen);

  /* an observation begun elsewhere (`ipcscope web --pid`, another window) is the one to come back to */
  const scopeKey = observing ? JSON.stringify(scopeOfView(observing)) : null;
  useEffect(() => {
    if (scopeKey !== null) useObserveStore.setState({ lastScope: JSON.parse(scopeKey) as ObserveScope });
  }, [scopeKey]);

  if (!observing) return null;
  const what =
    'all' in observing
      ? t('obsScopeAll')
      : t(observing.tree ? 'obsScopeTree' : 'obsScopePids', { pids: pidList(observing.pids) });
  const gone = 'all' in observing ? [] : observing.gone;
  const exit = 'all' in observing ? undefined : observing.exit;
  const lessonTitle = lastLesson ? (lessons.find((l) => l.id === lastLesson.id)?.title[locale] ?? lastLesson.id) : null;
  return (
    <div className="scope-bar" data-testid="scope-bar" data-scope={'all' in observing ? 'all' : observing.tree ? 'tree' : 'pids'} role="status">
      <span className="scope-what" data-testid="scope-what">
        {what}
      </span>
      {gone.length > 0 && (
        <span className="scope-gone" data-testid="scope-gone">
          {t('obsGone', { pids: pidList(gone) })}
        </span>
      )}
      {exit && (
        <span className="scope-exit" data-testid="scope-exit">
          {exit.signal ? t('obsExitSignal', { signal: exit.signal }) : t('obsExitCode', { code: exit.code ?? '?' })}
        </span>
      )}
      <span className="scope-buttons">
        {lessonTitle ? (
          <button type="button" className="control small" data-testid="scope-back-to-lesson" onClick={() => void backToLesson()}>
            {t('obsBackToLesson', { title: lessonTitle })}
          </button>
        ) : (
          <button type="button" className="control small" data-testid="scope-lessons" onClick={() => setChooserOpen(true)}>
            {t('chooseLesson')}…
          </button>
        )}
        <button type="button" className="control small" data-testid="scope-stop" onClick={() => void stopObserving()}>
          {t('obsStop')}
        </button>
      </span>
    </div>
  );
}

/** In the header: open the picker; while a lesson runs after an observation, go back to it in one click. */
export function ObserveButtons() {
  const t = useT();
  const observing = useAppStore((s) => s.frame?.observing != null);
  const lastScope = useObserveStore((s) => s.lastScope);
  useEffect(() => followTraffic(), []);
  return (
    <>
      <button type="button" className="control small" data-testid="btn-observe" title={t('obsOpenTitle')} onClick={(e) => {
          e.currentTarget.blur();
          openPicker();
        }}>
        {t('obsOpen')}
      </button>
      {!observing && lastScope && (
        <button
          type="button"
          className="control small"
          data-testid="btn-back-to-observing"
          title={t('obsBackToObserving')}
          aria-label={t('obsBackToObserving')}
          onClick={(e) => {
            e.currentTarget.blur();
            void backToObserving();
          }}
        >
          {/* at a projector's 1280 px the words give way to the arrow (styles.css), so the header stays one row */}
          <span aria-hidden="true">↩</span> <span className="back-label">{t('obsBackToObserving')}</span>
        </button>
      )}
    </>
  );
}
