import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { currentStep, selectPrograms } from '../store/lesson-selectors';
import { selectLocale } from '../store/selectors';
import { decodeLineStates, encodeLineStates, lineStates } from './code-lines';
import { scrollWithin } from './scroll-within';

type CopyState = 'idle' | 'copied' | 'failed';

const selectProgramFiles = (s: ReturnType<typeof useAppStore.getState>) => selectPrograms(s).map((p) => p.file);
const selectCurrentFile = (s: ReturnType<typeof useAppStore.getState>): string | null => {
  const lesson = s.frame?.lesson;
  return lesson ? (currentStep(lesson.steps, lesson.next)?.program ?? null) : null;
};

/**
 * The lesson's C program beside the picture: the executing line highlighted,
 * lines already run greyed, the live return value beside its line. One tab
 * per program when the lesson runs several.
 */
export function CodePane() {
  const t = useT();
  const locale = useAppStore(selectLocale);
  const files = useAppStore(useShallow(selectProgramFiles));
  const currentFile = useAppStore(selectCurrentFile);
  const [chosen, setChosen] = useState<string | null>(null);
  const [copy, setCopy] = useState<CopyState>('idle');
  // The pane follows the program of the step being executed; a tab clicked stays until that changes.
  useEffect(() => setChosen(null), [currentFile]);
  const file = chosen && files.includes(chosen) ? chosen : currentFile && files.includes(currentFile) ? currentFile : (files[0] ?? null);
  const source = useAppStore((s) => (file ? (selectPrograms(s).find((p) => p.file === file)?.source[locale] ?? '') : ''));
  const encoded = useAppStore(
    useShallow((s) => (file && s.frame?.lesson ? encodeLineStates(lineStates(s.frame.lesson.steps, s.frame.lesson.next, file, s.locale)) : [])),
  );
  const marks = decodeLineStates(encoded);
  const focus = [...marks.values()].find((m) => m.mark === 'current' || m.mark === 'next')?.line ?? null;
  const focusRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    scrollWithin(focusRef.current);
  }, [focus, file]);
  useEffect(() => setCopy('idle'), [file, locale]);

  if (files.length === 0 || !file) return null;
  const lines = source.split('\n');
  const onCopy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(source);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };
  return (
    <section className="panel code-pane" data-testid="code-pane" aria-label={t('program')}>
      <div className="code-head">
        <div className="code-tabs" role="tablist">
          {files.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={name === file}
              className={`code-tab${name === file ? ' active' : ''}`}
              data-testid={`code-tab-${name}`}
              onClick={(e) => {
                e.currentTarget.blur();
                setChosen(name);
              }}
            >
              {name}
            </button>
          ))}
        </div>
        <button type="button" className="control small" data-testid="code-copy" title={t('copy')} onClick={() => void onCopy()}>
          {copy === 'copied' ? t('copied') : t('copy')}
        </button>
      </div>
      {copy === 'failed' && (
        <p className="code-copy-failed" role="status">
          {t('copyFailed')}
        </p>
      )}
      <ol className="code-lines" data-testid="code-lines" data-file={file}>
        {lines.map((text, i) => {
          const n = i + 1;
          const mark = marks.get(n);
          return (
            <li
              key={n}
              ref={n === focus ? focusRef : undefined}
              data-testid={`code-line-${n}`}
              data-mark={mark?.mark ?? ''}
              className={`code-line${mark ? ` mark-${mark.mark}` : ''}`}
              aria-current={mark?.mark === 'current' ? 'step' : undefined}
            >
              <span className="code-no" aria-hidden="true">
                {n}
              </span>
              {/* the code and its value share a row only when both fit whole; else the value wraps under it (styles.css .code-body) */}
              <span className="code-body">
                <code className="code-text" title={text || undefined}>
                  {text || ' '}
                </code>
                {mark?.result && (
                  <span className={`code-result${mark.failed ? ' failed' : ''}`} data-testid={`code-result-${n}`}>
                    {mark.result}
                  </span>
                )}
              </span>
              {mark?.mark === 'current' && <span className="sr-only">{t('codeNow')}</span>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
