import { useMemo } from 'react';
import type { ClaimView, Locale } from '../../native-bridge/model/frame-types';
import type { StringKey } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectClaims } from '../store/lesson-selectors';
import { selectLocale } from '../store/selectors';

const HOLDS_KEY: Record<NonNullable<ClaimView['verdict']>['holds'], StringKey> = {
  holds: 'claimHolds',
  differs: 'claimDiffers',
  partly: 'claimPartly',
};

function ClaimCard({ claim, locale }: { claim: ClaimView; locale: Locale }) {
  const t = useT();
  const verdict = claim.verdict;
  return (
    <li className={`claim-card claim-${verdict?.holds ?? 'pending'}`} data-testid={`claim-${claim.id}`} data-holds={verdict?.holds ?? 'pending'}>
      <p className="claim-text">{claim.claim[locale]}</p>
      {!verdict && <p className="claim-pending">{t('claimPending')}</p>}
      {verdict && (
        <>
          <p className="claim-verdict">
            <span className="claim-badge">{t(HOLDS_KEY[verdict.holds])}</span> {verdict.text[locale]}
          </p>
          <dl className="claim-measured">
            {Object.entries(verdict.measured).map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{String(value)}</dd>
              </div>
            ))}
          </dl>
          <p className="claim-when">{t('measuredAfter', { step: verdict.step + 1 })}</p>
        </>
      )}
    </li>
  );
}

/** The lesson's claims, each with the verdict the kernel gave in this run (or when it will be asked). */
export function ClaimCards() {
  // Every frame carries the claims anew: compare them as text, re-render only when one changed.
  const claimsText = useAppStore((s) => JSON.stringify(selectClaims(s)));
  const claims = useMemo(() => JSON.parse(claimsText) as ClaimView[], [claimsText]);
  const locale = useAppStore(selectLocale);
  return (
    <ul className="claim-cards" data-testid="claim-cards">
      {claims.map((claim) => (
        <ClaimCard key={claim.id} claim={claim} locale={locale} />
      ))}
    </ul>
  );
}
