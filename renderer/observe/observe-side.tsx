import { useMemo } from 'react';
import { objectLabel } from '../format/kernel-words';
import { useT } from '../i18n/use-t';
import { SideTabs } from '../panels/side-tabs';
import { useObserveStore } from './observe-store';
import { summarize, TRAFFIC_WINDOW_MS } from './recent-traffic';

/** The recent traffic as a list, saying for each line whether a descriptor or only the whole process accounts for it. */
function TrafficPanel() {
  const t = useT();
  const samples = useObserveStore((s) => s.traffic);
  const summary = useMemo(() => summarize(samples), [samples]);
  const seconds = TRAFFIC_WINDOW_MS / 1000;
  const lines = summary.entries.slice(0, 40);
  return (
    <section className="panel traffic-panel" aria-labelledby="traffic-title" data-testid="traffic-panel">
      <h2 id="traffic-title">{t('obsTrafficTitle')}</h2>
      <p>{t('obsTrafficHow', { seconds })}</p>
      {lines.length === 0 ? (
        <p className="empty">{t('obsTrafficNone', { seconds })}</p>
      ) : (
        <ul className="traffic-list">
          {lines.map((entry, i) => (
            <li key={i} data-testid="traffic-line" data-via={entry.via}>
              {t('obsTrafficRow', { pid: entry.pid, direction: t(entry.direction === 'write' ? 'obsWrote' : 'obsRead'), bytes: entry.bytes, calls: entry.calls })}{' '}
              {entry.via === 'descriptor' && entry.fd !== undefined ? t('obsTrafficFd', { fd: entry.fd, object: objectLabel(entry.object ?? '') }) : t('obsTrafficProcess')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The side column while observing: what the selected process or object is (or what is wrong, or the ipcs tables), and what moved. */
export function ObserveSide() {
  return (
    <>
      <SideTabs observing />
      <TrafficPanel />
    </>
  );
}
