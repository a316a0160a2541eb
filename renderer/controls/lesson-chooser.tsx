import { useState } from 'react';
import type { LessonParams, LessonParamSpec, LessonSummary, Locale } from '../../native-bridge/model/frame-types';
import { STRINGS, type StringKey } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectLessons, selectLocale } from '../store/selectors';

/** The mechanism in the UI language; a mechanism this view does not know yet is shown as the engine names it. */
function mechanismLabel(mechanism: string | undefined, t: (key: StringKey) => string): string {
  if (!mechanism) return '';
  const key = `mech_${mechanism}`;
  return key in STRINGS.en ? t(key as StringKey) : mechanism;
}

function defaults(specs: LessonParamSpec[]): LessonParams {
  return Object.fromEntries(specs.map((spec) => [spec.name, spec.default]));
}

function ParamControl({ lesson, spec, value, locale, onChange }: { lesson: string; spec: LessonParamSpec; value: string | number; locale: Locale; onChange(value: string | number): void }) {
  const testId = `param-${lesson}-${spec.name}`;
  return (
    <label className="param">
      <span>{spec.label[locale]}</span>
      {spec.kind === 'choice' ? (
        <select data-testid={testId} value={String(value)} onChange={(e) => onChange(e.currentTarget.value)}>
          {spec.choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label[locale]}
            </option>
          ))}
        </select>
      ) : spec.kind === 'text' ? (
        <input
          type="text"
          data-testid={testId}
          // bytes, not characters, are what the engine counts: a long Chinese line is refused there with a message naming the limit
          maxLength={spec.maxBytes}
          value={String(value)}
          spellCheck={false}
          // kept as typed, even empty: the engine refuses what it cannot send, with a message
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      ) : (
        <input
          type="number"
          data-testid={testId}
          min={spec.min}
          max={spec.max}
          step={1}
          value={value}
          // Out-of-range values are kept as typed: the engine refuses them with a message naming the limit.
          onChange={(e) => onChange(e.currentTarget.value === '' ? spec.default : Number(e.currentTarget.value))}
        />
      )}
    </label>
  );
}

function LessonCard({ lesson, locale }: { lesson: LessonSummary; locale: Locale }) {
  const t = useT();
  const send = useAppStore((s) => s.send);
  const close = useAppStore((s) => s.setChooserOpen);
  const setSideTab = useAppStore((s) => s.setSideTab);
  const specs = lesson.params ?? [];
  const [params, setParams] = useState<LessonParams>(() => defaults(specs));
  const start = async () => {
    const result = await send(specs.length ? { type: 'lesson.start', lesson: lesson.id, params } : { type: 'lesson.start', lesson: lesson.id });
    if (!result.ok) return;
    close(false);
    /* the side column may show Details (an observation has no steps): a lesson starts at its steps */
    setSideTab('steps');
  };
  return (
    <li className="lesson-card" data-testid={`lesson-card-${lesson.id}`}>
      <div className="lesson-card-head">
        <span className={`mech mech-${lesson.mechanism ?? 'pipe'}`}>{mechanismLabel(lesson.mechanism, t)}</span>
        {typeof lesson.stepCount === 'number' && <span className="lesson-length">{t('stepCount', { count: lesson.stepCount })}</span>}
      </div>
      <h3>{lesson.title[locale]}</h3>
      <p className="lesson-summary">{lesson.summary[locale]}</p>
      {specs.length > 0 && (
        <div className="lesson-params">
          {specs.map((spec) => (
            <ParamControl
              key={spec.name}
              lesson={lesson.id}
              spec={spec}
              value={params[spec.name] ?? spec.default}
              locale={locale}
              onChange={(value) => setParams((old) => ({ ...old, [spec.name]: value }))}
            />
          ))}
        </div>
      )}
      <button type="button" className="control start" data-testid={`start-${lesson.id}`} onClick={() => void start()}>
        {t('start')}
      </button>
    </li>
  );
}

/**
 * Every lesson the engine offers, with its mechanism, length and parameters:
 * the first screen a newcomer sees, and the "Lessons" overlay later.
 */
export function LessonChooser({ welcome }: { welcome: boolean }) {
  const t = useT();
  const lessons = useAppStore(selectLessons);
  const locale = useAppStore(selectLocale);
  const close = useAppStore((s) => s.setChooserOpen);
  return (
    <div className="lesson-chooser" data-testid="lesson-chooser" role="dialog" aria-labelledby="chooser-title">
      <div className="chooser-head">
        <div>
          <h2 id="chooser-title">{welcome ? t('welcomeTitle') : t('chooseLesson')}</h2>
          {welcome && <p className="chooser-text">{t('welcomeText')}</p>}
        </div>
        {!welcome && (
          <button type="button" className="control small" data-testid="chooser-close" onClick={() => close(false)}>
            {t('close')}
          </button>
        )}
      </div>
      {lessons.length === 0 ? (
        <p className="empty">{t('noLessonsYet')}</p>
      ) : (
        <ul className="lesson-cards">
          {lessons.map((lesson) => (
            <LessonCard key={lesson.id} lesson={lesson} locale={locale} />
          ))}
        </ul>
      )}
    </div>
  );
}
