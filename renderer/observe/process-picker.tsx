import { useEffect, useRef } from 'react';
import { OBSERVE_MAX_PIDS } from '../../native-bridge/model/commands';
import type { ProcessRow } from '../../native-bridge/model/process-list-types';
import { useT } from '../i18n/use-t';
import { closePicker, observe, refreshList, togglePicked, useObserveStore } from './observe-store';
import './observe.css';

/* typing waits this long for the next key before asking the engine again */
const QUERY_DEBOUNCE_MS = 200;

function Row({ row, picked, stale }: { row: ProcessRow; picked: boolean; stale: boolean }) {
  const t = useT();
  /* names and command lines are whatever the process set: rendered as text only, never as markup */
  const reason = row.readable ? null : t('obsUnreadable', { reason: row.unreadable ?? '' });
  return (
    <tr data-testid={`pick-row-${row.pid}`} data-readable={row.readable} className={`${picked ? 'picked' : ''}${row.readable ? '' : ' unreadable'}`}>
      <td>
        <input
          type="checkbox"
          data-testid={`pick-${row.pid}`}
          aria-label={`PID ${row.pid} ${row.comm}`}
          checked={picked}
          disabled={!row.readable || (stale && !picked)}
          title={reason ?? undefined}
          onChange={() => togglePicked(row.pid)}
        />
      </td>
      <td className="num">{row.pid}</td>
      <td>{row.user}</td>
      <td className="comm">
        {row.comm}
        {row.self && <span className="tag">{t('obsSelf')}</span>}
      </td>
      <td className="cmd" title={row.cmdline}>
        {row.cmdline}
      </td>
      <td className="num" data-testid={`pick-ipc-${row.pid}`} title={reason ?? undefined}>
        {row.ipcObjects ?? t('obsUnreadableShort')}
      </td>
    </tr>
  );
}

/**
 * Pick real processes to observe: the engine lists them (command
 * "processes.list", filtered by what is typed), with how many IPC objects
 * each holds; tick one or several, with or without descendants, or take the
 * whole machine.
 */
export function ProcessPicker() {
  const t = useT();
  const { pickerOpen, query, list, listQuery, loading, listError, picked, tree } = useObserveStore();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!pickerOpen) return undefined;
    input.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') closePicker();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pickerOpen]);

  useEffect(() => {
    if (!pickerOpen) return undefined;
    const timer = setTimeout(() => void refreshList(query), QUERY_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [pickerOpen, query]);

  if (!pickerOpen) return null;
  const rows = list?.rows ?? [];
  /* the rows answer an earlier query: shown greyed and not pickable until this one's answer comes */
  const stale = list !== null && listQuery !== query.trim();
  const tooMany = picked.length > OBSERVE_MAX_PIDS;
  return (
    <div className="overlay" data-testid="process-picker" role="dialog" aria-modal="true" aria-labelledby="picker-title" onClick={closePicker}>
      <div className="overlay-card picker-card" onClick={(e) => e.stopPropagation()}>
        <div className="chooser-head">
          <div>
            <h2 id="picker-title">{t('obsPickerTitle')}</h2>
            <p className="chooser-text">{t('obsPickerText')}</p>
          </div>
          <button type="button" className="control small" data-testid="picker-close" onClick={closePicker}>
            {t('close')} (Esc)
          </button>
        </div>
        <input
          ref={input}
          type="search"
          className="picker-search"
          data-testid="picker-search"
          placeholder={t('obsSearch')}
          aria-label={t('obsSearch')}
          maxLength={100}
          value={query}
          onChange={(e) => useObserveStore.setState({ query: e.currentTarget.value })}
        />
        <p className="picker-count" data-testid="picker-count" aria-live="polite">
          {listError
            ? t('obsListFailed', { error: listError })
            : list
              ? t('obsCount', { shown: rows.length, total: list.total, scanned: list.scanned })
              : t('obsLoading')}
          {loading && list ? ` · ${t('obsLoading')}` : ''}
          {stale && !loading ? ` · ${listQuery ? t('obsStale', { query: listQuery }) : t('obsStaleAll')}` : ''}
          {listError && (
            <button type="button" className="control small picker-retry" data-testid="picker-retry" onClick={() => void refreshList(query)}>
              {t('obsRetry')}
            </button>
          )}
        </p>
        {list && !list.root && <p className="picker-note">{t('obsNotRoot')}</p>}
        <div className={`picker-table-wrap${stale ? ' stale' : ''}`} data-testid="picker-rows" data-stale={stale} aria-busy={stale}>
          <table className="picker-table">
            <thead>
              <tr>
                <th />
                <th>{t('obsColPid')}</th>
                <th>{t('obsColUser')}</th>
                <th>{t('obsColName')}</th>
                <th>{t('obsColCmd')}</th>
                <th>{t('obsColIpc')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <Row key={row.pid} row={row} picked={picked.includes(row.pid)} stale={stale} />
              ))}
            </tbody>
          </table>
          {list && !stale && rows.length === 0 && <p className="empty">{t('obsNoMatch', { query })}</p>}
        </div>
        <div className="picker-actions">
          <label className="toggle">
            <input type="checkbox" data-testid="picker-tree" checked={tree} onChange={(e) => useObserveStore.setState({ tree: e.currentTarget.checked })} />{' '}
            {t('obsTree')}
          </label>
          <button
            type="button"
            className="control"
            data-testid="picker-observe"
            disabled={picked.length === 0 || tooMany}
            onClick={() => void observe({ pids: picked, tree })}
          >
            {t('obsPicked', { count: picked.length })}
          </button>
          <button type="button" className="control" data-testid="picker-all" onClick={() => void observe({ all: true })}>
            {t('obsAll')}
          </button>
        </div>
      </div>
    </div>
  );
}
