import type { IpcObject } from '../../native-bridge/model/snapshot-types';
import type { Translate } from '../i18n/strings';
import { rangeLength } from '../picture/glyphs/mapped-file-glyph';

/** The details panel's rows for a mapped file (its path and every range from /proc/PID/maps) and a file lock (every /proc/locks line). */
export function MmapLockFacts({ object, t }: { object: IpcObject; t: Translate }) {
  if (object.kind === 'mmap') {
    return (
      <>
        <dt>{t('detailsFile')}</dt>
        <dd data-testid={`facts-file-${object.id}`}>{`${object.path} · inode ${object.inode} · ${object.size ?? '?'} B`}</dd>
        <dt>{t('detailsMappings')}</dt>
        <dd>
          <ul className="fd-table">
            {object.mappings.map((m) => (
              <li key={`${m.pid}-${m.start}`}>
                <code>{`${m.pid} ${m.start}-${m.end} ${m.perms} +${m.offset} (${rangeLength(m)} B)`}</code>
              </li>
            ))}
          </ul>
        </dd>
      </>
    );
  }
  if (object.kind === 'lock') {
    const line = (l: (typeof object.locks)[number]) => `${l.type} ${l.mode} ${l.pid ?? '-'} ${l.start}-${l.end ?? 'EOF'}`;
    return (
      <>
        <dt>{t('detailsFile')}</dt>
        <dd>{`${object.path ?? '?'} · ${object.device}:${object.inode}`}</dd>
        <dt>{t('detailsLocks')}</dt>
        <dd data-testid={`facts-locks-${object.id}`}>
          <ul className="fd-table">
            {object.locks.map((l, i) => (
              <li key={`held-${i}`}>
                <code>{line(l)}</code>
              </li>
            ))}
            {object.waiters.map((l, i) => (
              <li key={`wait-${i}`}>
                <code>{`-> ${line(l)}`}</code>
              </li>
            ))}
          </ul>
        </dd>
      </>
    );
  }
  return null;
}
