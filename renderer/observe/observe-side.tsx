import type { IpcObject } from '../../native-bridge/model/snapshot-types';
import { useMemo } from 'react';
import { objectLabel } from '../format/kernel-words';
import { useT } from '../i18n/use-t';
import { SideTabs } from '../panels/side-tabs';
import { useAppStore } from '../store/app-store';
import { useObserveStore } from './observe-store';
import { callRateText, rateText, shownTrafficRows, summarize, TRAFFIC_WINDOW_MS, trafficRows } from './recent-traffic';

/* Lines shown: the selected process's or object's, then the busiest; the rest are counted (the whole machine may move bytes in hundreds of processes). */
export const TRAFFIC_ROWS_SHOWN = 8;

/*
 * /proc/PID/io rchar/wchar are counted in the VFS read/write paths only: bytes
 * moved with send()/recv()/sendmsg()/recvmsg() never reach them, so two
 * processes talking over a socket that way show no traffic at all.
 */
function heldSocket(object: IpcObject): boolean {
  return (object.kind === 'unix' || object.kind === 'tcp' || object.kind === 'udp') && object.holders.length > 0;
}

/**
 * The recent traffic, summed: one line per descriptor that accounts for its
 * bytes, else per process, in the picture's unit (per second over the window),
 * busiest first and capped, so Details and Diagnoses keep their room.
 */
function TrafficPanel() {
  const t = useT();
  const samples = useObserveStore((s) => s.traffic);
  const processes = useAppStore((s) => s.frame?.processes);
  const holdsSockets = useAppStore((s) => s.frame?.objects.some(heldSocket) ?? false);
  const names = useMemo(() => new Map((processes ?? []).map((p) => [p.pid, p.comm])), [processes]);
  const summary = useMemo(() => summarize(samples), [samples]);
  const rows = useMemo(() => trafficRows(summary), [summary]);
  const seconds = TRAFFIC_WINDOW_MS / 1000;
  const selection = useAppStore((s) => s.selection);
  const shown = useMemo(() => shownTrafficRows(rows, selection, TRAFFIC_ROWS_SHOWN), [rows, selection]);
  return (
    <section className="panel traffic-panel" aria-labelledby="traffic-title" data-testid="traffic-panel">
      <h2 id="traffic-title">{t('obsTrafficTitle')}</h2>
      {/* one short line: the rows need the room; the full explanation is the tooltip */}
      <p title={t('obsTrafficHow', { seconds })}>{t('obsTrafficShort', { seconds })}</p>
      {holdsSockets && (
        <p className="traffic-sockets" data-testid="traffic-sockets" title={t('obsTrafficSocketsWhy')}>
          {t('obsTrafficSockets')}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="empty">{t('obsTrafficNone', { seconds })}</p>
      ) : (
        <ul className="traffic-list">
          {shown.map(({ row, selected }) => (
            <li key={row.key} data-testid="traffic-line" data-via={row.fd === undefined ? 'process' : 'descriptor'} className={selected ? 'selected' : undefined}>
              <span className="traffic-who">{t('obsTrafficWho', { name: names.get(row.pid) ?? '?', pid: row.pid })}</span>{' '}
              <span className="traffic-via">
                {row.fd === undefined ? t('obsTrafficWhole') : t('obsTrafficVia', { fd: row.fd, object: objectLabel(row.object ?? '') })}
              </span>
              <span className="traffic-rate">
                {(['write', 'read'] as const)
                  .filter((direction) => row[direction].bytes > 0 || row[direction].calls > 0)
                  .map((direction) =>
                    t('obsTrafficRate', {
                      rate: rateText(row[direction].bytes, summary.spanMs),
                      direction: t(direction === 'write' ? 'obsWrote' : 'obsRead'),
                      calls: callRateText(row[direction].calls, summary.spanMs),
                    }),
                  )
                  .join(' · ')}
              </span>
            </li>
          ))}
          {rows.length > shown.length ? (
            <li className="traffic-more" data-testid="traffic-more">
              {t('obsTrafficMore', { count: rows.length - shown.length })}
            </li>
          ) : null}
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
