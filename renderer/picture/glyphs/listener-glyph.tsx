import type { Frame } from '../../../native-bridge/model/frame-types';
import type { InetSocketObject, IpcObject, UnixSocketObject } from '../../../native-bridge/model/snapshot-types';
import { useAppStore } from '../../store/app-store';
import type { GlyphProps } from './glyph-props';
import { clipToWidth } from '../text-fit';

/**
 * A listening socket: its name (a path, an abstract "@name", or address:port),
 * its backlog drawn as a row of places, and the connections the kernel has
 * completed but nobody has accepted yet filling them (sock_diag: Recv-Q =
 * waiting, Send-Q = backlog, as `ss -l` prints). The waiting clients are the
 * sockets whose peer is still the listener; an accepted one leaves the queue
 * and is drawn as a connected pair instead.
 */
type Queue = { pending: number; backlog: number };
export type ListenerObject = (UnixSocketObject & Queue) | (InetSocketObject & Queue);

export function isListener(object: IpcObject): object is ListenerObject {
  return (object.kind === 'unix' || object.kind === 'tcp') && object.state === 'LISTEN' && typeof object.pending === 'number' && typeof object.backlog === 'number';
}

/** Places drawn one by one; a bigger backlog is drawn as this many with the rest counted. */
export const MAX_DRAWN_PLACES = 8;
const WIDTH = 270;
const HEIGHT = 150;
const QUEUE_TOP = -14;
const QUEUE_HEIGHT = 30;
const INNER = WIDTH - 36;

/** The name a client finds the listener by. */
export function listenerName(listener: ListenerObject): string | null {
  return 'local' in listener ? listener.local : (listener.path ?? null);
}

/** The last part of a path (the directory is the lesson's temporary one); abstract names and addresses unchanged. */
export function shortName(name: string): string {
  if (!name.startsWith('/')) return name;
  return name.slice(name.lastIndexOf('/') + 1) || name;
}

/** Processes holding a socket still waiting in this listener's queue ("client1 (7160)"), from the frame. */
export function waitingClients(listener: ListenerObject, frame: Pick<Frame, 'objects' | 'processes'> | null): string[] {
  if (!frame) return [];
  const names = new Map(frame.processes.map((p) => [p.pid, p.comm]));
  const out: string[] = [];
  const waiting = frame.objects.filter((o) => (o.kind === 'unix' || o.kind === 'tcp') && o.peer === listener.id && o.state !== 'LISTEN');
  for (const socket of waiting.sort((a, b) => a.id.localeCompare(b.id))) {
    for (const holder of socket.holders) out.push(`${names.get(holder.pid) ?? 'pid'} (${holder.pid})`);
  }
  return [...new Set(out)];
}

interface Props extends GlyphProps {
  listener: ListenerObject;
}

export function ListenerGlyph({ listener, x, y, palette, t, selected, onSelect }: Props) {
  const frame = useAppStore((s) => s.frame);
  const s = palette.scale;
  const { id, pending, backlog } = listener;
  const name = listenerName(listener);
  const drawn = Math.min(backlog, MAX_DRAWN_PLACES);
  const placeWidth = drawn > 0 ? INNER / drawn : INNER;
  const kind = 'local' in listener ? listener.kind : `unix ${listener.type}`;
  const who = waitingClients(listener, frame);
  const ss = t('listenerSs', { pending, backlog });
  return (
    <g data-testid={`object-${id}`} data-kind={listener.kind} data-listener="true" transform={`translate(${x},${y})`} onClick={() => onSelect(id)} style={{ cursor: 'pointer' }}>
      <title>{`${name ?? ''}\n${ss}`}</title>
      <rect x={-WIDTH / 2} y={-HEIGHT / 2} width={WIDTH} height={HEIGHT} rx={12} fill={palette.node} stroke={selected ? palette.lessonAccent : palette.nodeStroke} strokeWidth={selected ? 3 : 1.5} />
      <text data-testid={`listener-title-${id}`} y={-50} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={15 * s} fontWeight={700}>
        {t('listenerTitle', { kind })}
      </text>
      <text data-testid={`listener-name-${id}`} data-name={name ?? ''} y={-30} textAnchor="middle" fill={palette.text} fontFamily={palette.mono} fontSize={13 * s}>
        {name === null ? t('listenerUnbound') : clipToWidth(shortName(name), WIDTH - 24, 13 * s, true)}
      </text>
      <g data-testid={`listener-queue-${id}`} data-pending={pending} data-backlog={backlog}>
        {Array.from({ length: drawn }, (_, i) => {
          const filled = i < pending;
          return (
            <rect
              key={i}
              data-testid={`listener-place-${id}-${i}`}
              data-filled={filled ? 'true' : 'false'}
              x={-INNER / 2 + i * placeWidth + 2}
              y={QUEUE_TOP}
              width={placeWidth - 4}
              height={QUEUE_HEIGHT}
              rx={4}
              fill={filled ? palette.slotFill : palette.slotEmpty}
              stroke={palette.slotStroke}
            />
          );
        })}
        {backlog > MAX_DRAWN_PLACES && (
          <text x={INNER / 2} y={QUEUE_TOP + QUEUE_HEIGHT + 12} textAnchor="end" fill={palette.muted} fontFamily={palette.font} fontSize={11 * s}>
            {t('listenerMore', { n: backlog - MAX_DRAWN_PLACES })}
          </text>
        )}
      </g>
      <text data-testid={`listener-count-${id}`} y={40} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={13 * s}>
        {t('listenerCount', { pending, backlog })}
      </text>
      <text data-testid={`listener-waiting-${id}`} y={60} textAnchor="middle" fill={pending > 0 ? palette.flight : palette.muted} fontFamily={palette.font} fontSize={12 * s}>
        {who.length > 0 && <title>{who.join('\n')}</title>}
        {clipToWidth(who.length > 0 ? t('listenerWaiting', { who: who.map((w) => w.replace(/ \(\d+\)$/, '')).join(' · ') }) : pending > 0 ? '' : t('listenerNoneWaiting'), WIDTH - 20, 12 * s)}
      </text>
    </g>
  );
}
