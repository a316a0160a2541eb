import type { InetSocketObject, IpcObject, UnixSocketObject } from '../../native-bridge/model/snapshot-types';
import { objectLabel } from '../format/kernel-words';
import type { Translate } from '../i18n/strings';
import { useAppStore } from '../store/app-store';

/**
 * A peer's id as a button that selects it, or "none" (an unconnected or
 * half-closed socket). A peer outside the frame (held by a process not
 * observed) is named but not a button: selecting it would show nothing.
 */
function SocketLink({ id, t }: { id: string; t: Translate }) {
  const select = useAppStore((s) => s.select);
  const inFrame = useAppStore((s) => s.frame?.objects.some((o) => o.id === id) ?? false);
  return !inFrame ? (
    <>{objectLabel(id)}</>
  ) : (
    <button type="button" className="facts-link" title={t('sockPeerSelect')} onClick={() => select(id)}>
      {objectLabel(id)}
    </button>
  );
}

/** A client whose connection waits in a listener's accept queue: its peer is that queue, not a socket a process holds. */
function PeerRow({ peer, queued, t }: { peer: string | null; queued?: boolean; t: Translate }) {
  const [before, after] = t('sockPeerQueued', { listener: '\u0000' }).split('\u0000');
  return (
    <>
      <dt>{t('sockPeer')}</dt>
      <dd data-testid="facts-peer" data-queued={queued ? 'true' : undefined}>
        {peer === null ? (
          t('sockPeerNone')
        ) : queued ? (
          <>
            {before}
            <SocketLink id={peer} t={t} />
            {after}
          </>
        ) : (
          <SocketLink id={peer} t={t} />
        )}
      </dd>
    </>
  );
}

/** A listener's queued connections: the clients whose connections wait for accept(), held on the server side by no process. */
function AcceptQueueRow({ queue, t }: { queue: string[] | undefined; t: Translate }) {
  if (!queue || queue.length === 0) return null;
  return (
    <>
      <dt title={t('sockAcceptQueueWhy')}>{t('sockAcceptQueue')}</dt>
      <dd data-testid="facts-accept-queue">
        {queue.map((id, i) => (
          <span key={id}>
            {i > 0 && ', '}
            <SocketLink id={id} t={t} />
          </span>
        ))}
        <div className="facts-note">{t('sockAcceptQueueWhy')}</div>
      </dd>
    </>
  );
}

/** Connections waiting for accept() on a listener, with its backlog (sock_diag rqueue/wqueue on LISTEN). */
function PendingRow({ object, t }: { object: UnixSocketObject | InetSocketObject; t: Translate }) {
  if (object.pending === undefined && object.backlog === undefined) return null;
  return (
    <>
      <dt>{t('sockPending')}</dt>
      <dd data-testid="facts-pending">{t('sockPendingValue', { pending: object.pending ?? '?', backlog: object.backlog ?? '?' })}</dd>
    </>
  );
}

/**
 * The inspector's rows for a socket, as sock_diag reports it (the same fields
 * `ipcscope snapshot` prints): type, state, bound path, peer, pending/backlog
 * and descriptors in flight for a Unix socket; family, state, local and remote
 * addresses, Send-Q and peer for TCP/UDP. The receive queue is the panel's
 * "Queued bytes" row, shared with pipes.
 */
export function SocketFacts({ object, t }: { object: IpcObject; t: Translate }) {
  if (object.kind === 'unix') {
    return (
      <>
        <dt>{t('sockType')}</dt>
        <dd data-testid="facts-type">{object.type === 'unknown' ? object.type : `${object.type} (SOCK_${object.type.toUpperCase()})`}</dd>
        <dt>{t('sockState')}</dt>
        <dd data-testid="facts-state">{object.state}</dd>
        {object.path && (
          <>
            <dt>{t('sockPath')}</dt>
            <dd data-testid="facts-path">
              <code>{object.path}</code>
            </dd>
          </>
        )}
        <PeerRow peer={object.peer} t={t} />
        <PendingRow object={object} t={t} />
        {object.inFlightFds !== undefined && object.inFlightFds > 0 && (
          <>
            <dt>{t('sockInFlight')}</dt>
            <dd data-testid="facts-in-flight">{t('sockInFlightValue', { n: object.inFlightFds })}</dd>
          </>
        )}
      </>
    );
  }
  if (object.kind === 'tcp' || object.kind === 'udp') {
    return (
      <>
        <dt>{t('sockFamily')}</dt>
        <dd data-testid="facts-family">{`${object.family} (AF_${object.family.toUpperCase()})`}</dd>
        <dt>{t('sockState')}</dt>
        <dd data-testid="facts-state">{object.state}</dd>
        <dt>{t('sockLocal')}</dt>
        <dd data-testid="facts-local">
          <code>{object.local}</code>
        </dd>
        <dt>{t('sockRemote')}</dt>
        <dd data-testid="facts-remote">
          <code>{object.remote}</code>
        </dd>
        {object.sendQueue !== null && (
          <>
            <dt title={t('sockSendQWhy')}>{t('sockSendQ')}</dt>
            <dd data-testid="facts-send-q">{`${object.sendQueue} B`}</dd>
          </>
        )}
        <PeerRow peer={object.peer} queued={object.peerInAcceptQueue} t={t} />
        <PendingRow object={object} t={t} />
        <AcceptQueueRow queue={object.acceptQueue} t={t} />
      </>
    );
  }
  return null;
}
