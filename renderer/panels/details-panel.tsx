import { blockedSentence, objectLabel, stateWord } from '../format/kernel-words';
import { omittedFdsText, omittedHoldersText } from '../format/omitted-words';
import { pipeEndsText } from '../format/pipe-ends-text';
import { objectAgeText, stateAgeText } from '../format/state-age-words';
import { useT } from '../i18n/use-t';
import { MmapLockFacts } from './mmap-lock-facts';
import { QueuedBytes } from './queued-bytes';
import { SocketFacts } from './socket-facts';
import { useAppStore } from '../store/app-store';
import { selectSelection } from '../store/selectors';

/** What the kernel says about the selected process or object, field by field. */
export function DetailsPanel() {
  const t = useT();
  const selection = useAppStore(selectSelection);
  const process = useAppStore((s) =>
    selection?.startsWith('process:') ? (s.frame?.processes.find((p) => `process:${p.pid}` === selection) ?? null) : null,
  );
  const object = useAppStore((s) => (selection && !selection.startsWith('process:') ? (s.frame?.objects.find((o) => o.id === selection) ?? null) : null));
  // strings, not objects: the panel renders again only when the words change
  const stateAgeLine = useAppStore((s) => (process ? (stateAgeText(process, s.frame, t)?.line ?? null) : null));
  const stateAgeWhy = useAppStore((s) => (process ? (stateAgeText(process, s.frame, t)?.why ?? null) : null));
  const objectAgeLine = useAppStore((s) => (object ? (objectAgeText(object, s.frame, t)?.line ?? null) : null));
  return (
    <section className="panel details-panel" aria-labelledby="details-title" data-testid="details-panel">
      <h2 id="details-title">{t('details')}</h2>
      {!process && !object && <p className="empty">{t('detailsHint')}</p>}
      {process && (
        <dl className="facts">
          <dt>PID</dt>
          <dd>{`${process.pid} (ppid ${process.ppid}) ${process.comm}`}</dd>
          <dt>{t('state')}</dt>
          <dd>{`${stateWord(process, t)} (${process.state})`}</dd>
          {stateAgeLine && (
            <>
              <dt>{t('stateAge')}</dt>
              <dd data-testid="state-age" title={stateAgeWhy ?? undefined}>
                {stateAgeLine}
              </dd>
            </>
          )}
          {process.blocked && (
            <>
              <dt>{t('statusBlocked')}</dt>
              <dd>
                {blockedSentence(process.blocked, t)} · {t('wchan', { wchan: process.blocked.wchan })} · syscall {process.blocked.syscallNr}
              </dd>
            </>
          )}
          <dt>{t('descriptors')}</dt>
          <dd>
            <ul className="fd-table">
              {process.fds.map((fd) => (
                <li key={fd.fd}>
                  <code>{`${fd.fd} ${fd.access.padEnd(2)} ${fd.target}`}</code>
                </li>
              ))}
              {omittedFdsText(process, t) && (
                <li className="fd-more" data-testid="fds-more">
                  {omittedFdsText(process, t)}
                </li>
              )}
            </ul>
          </dd>
        </dl>
      )}
      {object && (
        <dl className="facts">
          <dt>id</dt>
          <dd>{objectLabel(object.id)}</dd>
          {(object.kind === 'pipe' || object.kind === 'fifo') && (
            <>
              <dt>inode</dt>
              <dd>{`${object.inode}${object.path ? ` ${object.path}` : ''} · F_GETPIPE_SZ ${object.capacity ?? '?'} · ${pipeEndsText(object, t)}`}</dd>
            </>
          )}
          {objectAgeLine && (
            <>
              <dt>{t('objectAge')}</dt>
              <dd data-testid="object-age" title={t('objectAgeWhy')}>
                {objectAgeLine}
              </dd>
            </>
          )}
          <MmapLockFacts object={object} t={t} />
          <SocketFacts object={object} t={t} />
          <dt>{t('holders')}</dt>
          <dd>
            {object.holders.map((h) => `${h.pid}:fd ${h.fd} ${h.access}`).join(', ') || '—'}
            {omittedHoldersText(object, t) && <div data-testid="holders-more">{omittedHoldersText(object, t)}</div>}
          </dd>
          {object.queued != null && (
            <>
              <dt>{t('peek')}</dt>
              <dd data-testid="facts-queued">
                <QueuedBytes queued={object.queued} peek={object.peek} t={t} />
              </dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}
