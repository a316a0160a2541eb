import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { StepStatus } from '../../native-bridge/model/frame-types';
import { Icon } from '../controls/icons';
import type { StringKey } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectLessonId, selectLocale, selectNextStep, selectStepStatuses } from '../store/selectors';
import { scrollWithin } from './scroll-within';

const STATUS_KEY: Record<StepStatus, StringKey> = {
  pending: 'statusPending',
  running: 'statusRunning',
  blocked: 'statusBlocked',
  done: 'statusDone',
  failed: 'statusFailed',
};

const STATUS_ICON: Record<StepStatus, string> = { pending: '○', running: '▶', blocked: '', done: '✓', failed: '✗' };

/** The lesson's steps as C, with the engine's status of each and the explanation in the chosen language. */
export function StepList() {
  const t = useT();
  // Frames arrive many times a second; the list re-renders only when a status, the next step or the lesson changes.
  const statuses = useAppStore(useShallow(selectStepStatuses));
  const lessonId = useAppStore(selectLessonId);
  const steps = useMemo(
    () => (useAppStore.getState().frame?.lesson?.steps ?? []).map((step, i) => ({ ...step, status: statuses[i] ?? step.status })),
    [lessonId, statuses],
  );
  const next = useAppStore(selectNextStep);
  const locale = useAppStore(selectLocale);
  const current = useRef<HTMLLIElement>(null);
  useEffect(() => {
    scrollWithin(current.current);
  }, [next]);
  return (
    <section className="panel step-list" aria-labelledby="steps-title">
      <h2 id="steps-title">{t('steps')}</h2>
      <ol data-testid="step-list" className="steps">
        {steps.map((step) => (
          <li
            key={step.index}
            ref={step.index === next ? current : undefined}
            data-testid={`step-${step.index}`}
            data-status={step.status}
            data-question={step.question ? 'true' : undefined}
            className={`step status-${step.status}${step.index === next ? ' next' : ''}`}
          >
            <div className="step-head">
              <span className="step-icon" aria-hidden="true">
                {step.status === 'blocked' ? <Icon name="hourglass" size={14} /> : STATUS_ICON[step.status]}
              </span>
              <span className="step-role">{step.role}</span>
              <code className="step-code">{step.code}</code>
              {step.question ? (
                <span className="step-asks" title={t('predict')} aria-label={t('predict')}>
                  ?
                </span>
              ) : null}
              <span className="step-status">{t(STATUS_KEY[step.status])}</span>
            </div>
            <p className="step-explain">{step.explain[locale]}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
