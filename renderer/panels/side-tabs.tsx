import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectClaims } from '../store/lesson-selectors';
import { selectSideTab, type SideTab } from '../store/panel-slice';
import { ClaimCards } from './claim-cards';
import { DetailsPanel } from './details-panel';
import { DiagnosesPanel, selectDiagnosesSeverity, selectDiagnosisCount, selectPendingCount } from './diagnoses-panel';
import { KernelTables } from './kernel-tables';
import { StepList } from './step-list';

const selectClaimCount = (s: Parameters<typeof selectClaims>[0]): number => selectClaims(s).length;

/**
 * Steps, claims, details, diagnoses and the kernel tables (ipcs) share the
 * space under the code pane, one at a time. While observing (no lesson) only
 * what real processes have: details, diagnoses and the kernel tables.
 */
export function SideTabs({ observing = false }: { observing?: boolean }) {
  const t = useT();
  const tab = useAppStore(selectSideTab);
  const setTab = useAppStore((s) => s.setSideTab);
  const claimCount = useAppStore(selectClaimCount);
  const diagnosisCount = useAppStore(selectDiagnosisCount);
  const pendingCount = useAppStore(selectPendingCount);
  /* red when any diagnosis is a fault; amber when every one is a notice (picture/diagnosis-severity.ts) */
  const diagnosesSeverity = useAppStore(selectDiagnosesSeverity);
  const diagnosesLoudness = diagnosesSeverity === 'fault' ? ' alarm' : diagnosesSeverity === 'notice' ? ' notice' : '';
  /* While the engine confirms a finding the panel says "checking"; a bare "(0)" on the tab would say nothing is wrong. */
  const diagnosesLabel =
    pendingCount === 0
      ? t('tabDiagnoses', { count: diagnosisCount })
      : diagnosisCount === 0
        ? t('tabDiagnosesChecking')
        : t('tabDiagnosesCountChecking', { count: diagnosisCount });
  const tabs: { id: SideTab; label: string }[] = [
    ...(observing ? [] : [{ id: 'steps' as SideTab, label: t('tabSteps') }]),
    ...(claimCount > 0 && !observing ? [{ id: 'claims' as SideTab, label: t('tabClaims', { count: claimCount }) }] : []),
    { id: 'details', label: t('tabDetails') },
    { id: 'diagnoses', label: diagnosesLabel },
    { id: 'kernel', label: t('tabKernelTables') },
  ];
  const lessonTab = tab === 'steps' || tab === 'claims';
  const shown = observing && lessonTab ? 'details' : tab === 'claims' && claimCount === 0 ? 'steps' : tab;
  return (
    <section className="panel side-tabs">
      <div className="tab-bar" role="tablist">
        {tabs.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={id === shown}
            className={`tab${id === shown ? ' active' : ''}${id === 'diagnoses' ? diagnosesLoudness : ''}${id === 'diagnoses' && pendingCount > 0 ? ' checking' : ''}`}
            data-testid={`tab-${id}`}
            data-severity={id === 'diagnoses' ? (diagnosesSeverity ?? undefined) : undefined}
            onClick={(e) => {
              e.currentTarget.blur();
              setTab(id);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="tab-body">
        {shown === 'steps' && <StepList />}
        {shown === 'claims' && <ClaimCards />}
        {shown === 'details' && <DetailsPanel />}
        {shown === 'diagnoses' && <DiagnosesPanel />}
        {shown === 'kernel' && <KernelTables />}
      </div>
    </section>
  );
}
