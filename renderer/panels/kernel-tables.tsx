import { Fragment, useMemo, useRef } from 'react';
import { animationClock } from '../clock/animation-clock';
import type { StringKey } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { useAnimationTime, usePictureFrame } from '../picture/motion/use-picture-clock';
import { CellChanges, cellKey, IPCS_COLUMNS, ipcsTables, SEMNUM_COLUMNS, type IpcsRow, type IpcsTable } from './kernel-tables-rows';

/** How long a changed cell stays highlighted (ms of animation-clock time). */
export const HIGHLIGHT_MS = 1500;

const TITLES: Record<IpcsTable, StringKey> = { shm: 'ktShm', msg: 'ktMsg', sem: 'ktSem' };

function Cells({ row, columns, changedAt, now }: { row: IpcsRow; columns: string[]; changedAt: ReadonlyMap<string, number>; now: number }) {
  return (
    <>
      {columns.map((column) => {
        const at = changedAt.get(cellKey(row.id, column));
        const changed = at !== undefined && now - at < HIGHLIGHT_MS;
        return (
          <td key={column} data-testid={`kt-${row.id}-${column}`} data-changed={changed} className={changed ? 'kt-changed' : undefined}>
            {row.cells[column]}
          </td>
        );
      })}
    </>
  );
}

/** The live `ipcs` view of the frame's System V objects; a cell that changed is highlighted for a moment. */
export function KernelTables() {
  const t = useT();
  const { frame } = usePictureFrame();
  const tracker = useRef(new CellChanges());
  const tables = useMemo(() => ipcsTables(frame?.objects ?? []), [frame]);
  const changedAt = useMemo(
    () => (frame ? new Map(tracker.current.update(frame.seq, tables, animationClock().now())) : new Map<string, number>()),
    [frame, tables],
  );
  const newest = Math.max(Number.NEGATIVE_INFINITY, ...changedAt.values());
  // ticks only while some highlight is still to fade
  const now = useAnimationTime(animationClock().now() - newest < HIGHLIGHT_MS);
  return (
    <section className="panel kernel-tables" aria-labelledby="kernel-tables-title" data-testid="kernel-tables">
      <h2 id="kernel-tables-title">{t('ktTitle')}</h2>
      {(['shm', 'msg', 'sem'] as const).map((table) => (
        <div key={table} className="kt-table" data-testid={`kt-${table}`} data-rows={tables[table].filter((r) => !r.sub).length}>
          <h3>{t(TITLES[table])}</h3>
          {tables[table].length === 0 ? (
            <p className="empty">{t('ktNone')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  {IPCS_COLUMNS[table].map((column) => (
                    <th key={column}>{column}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {tables[table].map((row, i) =>
                  row.sub ? (
                    <Fragment key={row.id}>
                      {/* ipcs -s -i ID prints its own header above the semaphores */}
                      {!tables[table][i - 1]?.sub && (
                        <tr className="kt-subhead">
                          {SEMNUM_COLUMNS.map((column) => (
                            <th key={column}>{column}</th>
                          ))}
                        </tr>
                      )}
                      <tr className="kt-sub">
                        <Cells row={row} columns={SEMNUM_COLUMNS} changedAt={changedAt} now={now} />
                      </tr>
                    </Fragment>
                  ) : (
                    <tr key={row.id}>
                      <Cells row={row} columns={IPCS_COLUMNS[table]} changedAt={changedAt} now={now} />
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          )}
        </div>
      ))}
      <p className="kt-hint">{t('ktHint')}</p>
    </section>
  );
}
