/**
 * The diagnoses of the latest frame (Frame.diagnoses, computed by the engine
 * from the kernel's state and published once it has held): each with its
 * name, why it cannot resolve itself, the kernel's evidence worded in the
 * learner's language, and the number of the fd mark the picture draws on a
 * forgotten descriptor. Below them, what the engine is still confirming
 * (Frame.diagnosesPending) and for how long it has held: "nothing stuck"
 * only when there is neither.
 */
import type { Diagnosis, PendingDiagnosis } from '../../native-bridge/model/diagnosis-types';
import { objectLabel } from '../format/kernel-words';
import type { Translate } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { useAppStore, type AppStore } from '../store/app-store';
import { selectDiagnoses, useFdMarks } from '../picture/diagnosis-marks';
import { diagnosisSeverity, type DiagnosisSeverity } from '../picture/diagnosis-severity';
import { DIAGNOSIS_TITLE, DIAGNOSIS_WHY, factWords, pendingWords } from './diagnoses-panel-words';

/** When the shown diagnoses were computed (ms), or null when the frames are not diagnosed. */
const selectDiagnosedAt = (s: AppStore): number | null => (s.frame?.diagnoses === undefined ? null : (s.frame.diagnosedAt ?? s.frame.takenAt));

/** How many diagnoses the latest frame carries (the side tab's count). */
export const selectDiagnosisCount = (s: AppStore): number => s.frame?.diagnoses?.length ?? 0;

/**
 * How loud the side tab is drawn: 'fault' when any diagnosis is a fault (red),
 * 'notice' when every one is only a notice (amber, as its card and halo), null
 * when there is none.
 */
export const selectDiagnosesSeverity = (s: AppStore): DiagnosisSeverity | null => {
  const diagnoses = s.frame?.diagnoses ?? [];
  if (diagnoses.length === 0) return null;
  return diagnoses.some((d) => diagnosisSeverity(d.kind) === 'fault') ? 'fault' : 'notice';
};

const NO_PENDING: PendingDiagnosis[] = [];
/** What the engine is still confirming. */
const selectPending = (s: AppStore): PendingDiagnosis[] => s.frame?.diagnosesPending ?? NO_PENDING;
/** How many the engine is still confirming (the tab says it is checking rather than a bare count). */
export const selectPendingCount = (s: AppStore): number => selectPending(s).length;

function PendingChecks({ pending, t }: { pending: PendingDiagnosis[]; t: Translate }) {
  return (
    <section className="diagnosis-pending" data-testid="diagnoses-pending">
      <h3>{t('diagnosesChecking', { count: pending.length })}</h3>
      <p className="diagnosis-why">{t('diagnosesCheckingWhy')}</p>
      <ul>
        {pending.map((p, i) => (
          <li key={`${p.kind}:${p.processes.join(',')}:${p.objects.join(',')}`} data-testid={`diagnosis-pending-${i}`} data-kind={p.kind}>
            {pendingWords(p, t)}
            <span className="diagnosis-progress" aria-hidden="true">
              <span style={{ width: `${Math.min(100, (100 * p.heldMs) / Math.max(1, p.confirmMs)).toFixed(0)}%` }} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function DiagnosisCard({ d, index, diagnosedAt, marks, t }: { d: Diagnosis; index: number; diagnosedAt: number; marks: Map<string, number>; t: Translate }) {
  const seconds = d.since === undefined ? null : Math.max(0, (diagnosedAt - d.since) / 1000);
  const severity = diagnosisSeverity(d.kind);
  return (
    <li className="diagnosis-card" data-testid={`diagnosis-card-${index}`} data-kind={d.kind} data-severity={severity}>
      <h3>
        {t(DIAGNOSIS_TITLE[d.kind])}

        {/* `since` restarts with each run or observation: say what was seen, not how long it has held */}
        {seconds !== null && (
          <span className="diagnosis-since" title={t('diagnosisSinceWhy')}>{` · ${t('diagnosisSince', { seconds: seconds.toFixed(1) })}`}</span>
        )}
      </h3>
      {severity === 'notice' && (
        <p className="diagnosis-notice" data-testid={`diagnosis-notice-${index}`} title={t('diagnosisNoticeWhy')}>
          {t('diagnosisNotice')}
        </p>
      )}
      <p className="diagnosis-why">{t(DIAGNOSIS_WHY[d.kind])}</p>
      <p className="diagnosis-objects">
        {[...d.processes.map((pid) => `PID ${pid}`), ...d.objects.map(objectLabel)].join(' · ')}
      </p>
      <ul className="diagnosis-evidence">
        {d.facts.map((fact, i) => {
          const mark = fact.fact === 'forgotten-write-end' ? marks.get(`${fact.process.pid}:${fact.fd}`) : undefined;
          return (
            <li key={i} data-testid={`diagnosis-fact-${index}-${i}`}>
              {mark !== undefined && (
                <span className="focus-number" title={t('diagMarkedFd', { n: mark })}>
                  {mark}
                </span>
              )}
              {factWords(fact, t)}
            </li>
          );
        })}
      </ul>
    </li>
  );
}

export function DiagnosesPanel() {
  const t = useT();
  const diagnoses = useAppStore(selectDiagnoses);
  const diagnosedAt = useAppStore(selectDiagnosedAt);
  const pending = useAppStore(selectPending);
  const marks = useFdMarks();
  return (
    <section className="panel diagnoses-panel" aria-labelledby="diagnoses-title" data-testid="diagnoses-panel">
      <h2 id="diagnoses-title">{t('diagnosesTitle')}</h2>
      {diagnosedAt === null ? (
        <p className="empty">{t('diagnosesOff')}</p>
      ) : (
        <>
          <p className="diagnosis-when" data-testid="diagnosed-at">
            {t('diagnosedAt', { time: new Date(diagnosedAt).toISOString().slice(11, 23) })}
          </p>
          {diagnoses.length === 0 && pending.length === 0 && (
            <p className="empty" data-testid="diagnoses-none">
              {t('diagnosesNone')}
            </p>
          )}
          {diagnoses.length > 0 && (
            <ol className="diagnosis-list">
              {diagnoses.map((d, i) => (
                <DiagnosisCard key={`${d.kind}:${d.processes.join(',')}:${d.objects.join(',')}`} d={d} index={i} diagnosedAt={diagnosedAt} marks={marks} t={t} />
              ))}
            </ol>
          )}
          {pending.length > 0 && <PendingChecks pending={pending} t={t} />}
        </>
      )}
    </section>
  );
}
