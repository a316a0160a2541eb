/**
 * A TCP connection (both ends on this machine, as on loopback): the two
 * sockets joined, each with its local address:port, its state, the holders'
 * descriptors, its receive queue (bytes not yet read, with a peek at them)
 * and its send queue (bytes not yet acknowledged), the numbers `ss -tn`
 * prints as Recv-Q and Send-Q. A client whose connection still waits in a
 * listener's queue has no peer socket yet: the other side says so. The
 * listener itself is listener-glyph.tsx.
 */
import { useMemo } from 'react';
import type { Frame } from '../../../native-bridge/model/frame-types';
import type { InetSocketObject, IpcObject } from '../../../native-bridge/model/snapshot-types';
import type { Translate } from '../../i18n/strings';
import { useAppStore } from '../../store/app-store';
import { selectShowAll } from '../../store/selectors';
import { layoutPicture, NODE_WIDTH, TCP_PAIR_HALF_WIDTH, type PlacedProcess } from '../layout';
import type { Palette } from '../palette';
import { MissingEnd } from './missing-end';
import { queueText } from './socket-pair-glyph';
import { clipToWidth } from '../text-fit';

const GAP = 48;
/* two ends side by side fill the width the layout gives a connection (its edges end at the outer sides) */
const BOX_W = TCP_PAIR_HALF_WIDTH - GAP / 2;
const BOX_H = 136;
const PAD = 10;
const QUEUE_TOP = 46;
const QUEUE_H = 34;

/** A connected (not listening) TCP socket. */
export function isTcpConnection(object: IpcObject): object is InetSocketObject {
  return object.kind === 'tcp' && object.state !== 'LISTEN';
}

/** The other end among the frame's objects: a TCP socket, or the listener a pending client waits in. */
function peerIn(frame: Pick<Frame, 'objects'> | null, end: InetSocketObject): IpcObject | null {
  if (!frame || !end.peer) return null;
  return frame.objects.find((o) => o.id === end.peer) ?? null;
}

/** Left or right: each end on the side of a process that holds it; the object's own end on the left otherwise. */
export function tcpSides(end: InetSocketObject, peer: InetSocketObject | null, placed: PlacedProcess[]): [InetSocketObject | null, InetSocketObject | null] {
  const sideOf = (o: InetSocketObject | null) => placed.find((p) => o?.holders.some((h) => h.pid === p.pid))?.side;
  return sideOf(end) === 'right' || sideOf(peer) === 'left' ? [peer, end] : [end, peer];
}

function holderText(o: InetSocketObject, placed: PlacedProcess[], t: Translate): string {
  if (o.holders.length === 0) return t('tcpNoHolder');
  return o.holders.map((h) => t('pairHolder', { who: placed.find((p) => p.pid === h.pid)?.role ?? String(h.pid), fd: h.fd })).join(', ');
}

function End({ o, left, placed, palette, t, s }: { o: InetSocketObject; left: number; placed: PlacedProcess[]; palette: Palette; t: Translate; s: number }) {
  const top = -BOX_H / 2;
  const inner = BOX_W - 2 * PAD;
  const queued = o.queued ?? 0;
  const sent = o.sendQueue ?? 0;
  /* CLOSE-WAIT: the peer's FIN takes one sequence number, so Recv-Q (rcv_nxt - copied_seq) counts it while no byte is left to peek */
  const fin = o.state === 'CLOSE-WAIT' && queued === 1 && o.peek === '';
  const peek = fin ? 'FIN' : queueText(o.peek, inner - 14, 12.5 * s);
  return (
    <g data-testid={`tcp-end-${o.id}`} data-local={o.local} data-state={o.state} data-recvq={o.queued ?? ''} data-sendq={o.sendQueue ?? ''}>
      <rect x={left} y={top} width={BOX_W} height={BOX_H} rx={10} fill={palette.node} stroke={palette.nodeStroke} strokeWidth={1.5} />
      <text data-testid={`tcp-local-${o.id}`} x={left + PAD} y={top + 19} fill={palette.text} fontFamily={palette.mono} fontSize={13 * s} fontWeight={700}>
        {clipToWidth(o.local, inner, 13 * s, true)}
      </text>
      <text data-testid={`tcp-holder-${o.id}`} x={left + PAD} y={top + 37} fill={palette.muted} fontFamily={palette.mono} fontSize={11.5 * s}>
        {clipToWidth(`${o.state} · ${holderText(o, placed, t)}`, inner, 11.5 * s, true)}
      </text>
      <rect x={left + PAD} y={top + QUEUE_TOP} width={inner} height={QUEUE_H} rx={6} fill={queued > 0 ? palette.slotEmpty : 'none'} stroke={palette.slotStroke} strokeDasharray={queued > 0 ? undefined : '5 4'} />
      {queued > 0 && <rect data-testid={`tcp-bytes-${o.id}`} x={left + PAD} y={top + QUEUE_TOP} width={inner} height={QUEUE_H} rx={6} fill={palette.slotFill} opacity={0.45} />}
      {queued > 0 && peek && (
        <text x={left + PAD + 7} y={top + QUEUE_TOP + QUEUE_H / 2 + 5} fill={palette.text} fontFamily={palette.mono} fontSize={12.5 * s} fontWeight={700}>
          {peek}
        </text>
      )}
      <text data-testid={`tcp-recvq-${o.id}`} x={left + PAD} y={top + QUEUE_TOP + QUEUE_H + 16} fill={queued > 0 ? palette.text : palette.muted} fontFamily={palette.font} fontSize={11.5 * s}>
        {clipToWidth(fin ? t('tcpRecvFin') : queued > 0 ? t('tcpRecvQ', { n: queued }) : t('tcpRecvEmpty'), inner, 11.5 * s)}
      </text>
      <text data-testid={`tcp-sendq-${o.id}`} x={left + PAD} y={top + QUEUE_TOP + QUEUE_H + 32} fill={sent > 0 ? palette.text : palette.muted} fontFamily={palette.font} fontSize={11.5 * s}>
        {clipToWidth(t('tcpSendQ', { n: sent }), inner, 11.5 * s)}
      </text>
    </g>
  );
}

interface Props {
  end: InetSocketObject;
  x: number;
  y: number;
  palette: Palette;
  t: Translate;
  selected: boolean;
  onSelect(id: string): void;
  /** The picture's placed processes; worked out from the frame (the same deterministic layout) when not given. */
  placed?: PlacedProcess[];
}

export function TcpGlyph({ end, x, y, palette, t, selected, onSelect, placed: given }: Props) {
  const frame = useAppStore((s) => s.frame);
  const showAll = useAppStore(selectShowAll);
  const placed = useMemo(() => given ?? (frame ? layoutPicture(frame, showAll).processes : []), [given, frame, showAll]);
  const s = Math.min(palette.scale, 1.1);
  const other = peerIn(frame, end);
  const peer = other && other.kind === 'tcp' && other.state !== 'LISTEN' ? other : null;
  const [leftEnd, rightEnd] = tcpSides(end, peer, placed);
  /* bound or closed, never connected: no remote address (0.0.0.0:* as ss prints it) */
  const unconnected = /:[*0]$/.test(end.remote);
  const missing = unconnected ? t('tcpPeerNone') : other?.kind === 'tcp' && other.state === 'LISTEN' ? t('tcpPeerQueued') : t('tcpPeerAway');
  const leftX = -GAP / 2 - BOX_W;
  const rightX = GAP / 2;
  /* the layout draws edges to this object's holders; the peer's holders get a dashed line to their end */
  const peerLines =
    peer === null
      ? null
      : placed
          .filter((p) => p.process && peer.holders.some((h) => h.pid === p.pid))
          .map((p) => {
            const nodeX = p.x - x + (p.side === 'left' ? NODE_WIDTH / 2 : -NODE_WIDTH / 2);
            const boxX = peer === leftEnd ? leftX : rightX + BOX_W;
            return <line key={p.pid} data-testid={`tcp-line-${peer.id}-${p.pid}`} x1={nodeX} y1={p.y - y} x2={boxX} y2={0} stroke={palette.readEdge} strokeWidth={2.5} strokeDasharray="7 5" />;
          });
  return (
    <g data-testid={`object-${end.id}`} data-kind="tcp-connection" data-peer={peer?.id ?? ''} transform={`translate(${x},${y})`} onClick={() => onSelect(end.id)} style={{ cursor: 'pointer' }}>
      <title>{[end, peer].filter((o) => o !== null).map((o) => `${o.local} -> ${o.remote} ${o.state} Recv-Q ${o.queued ?? '?'} Send-Q ${o.sendQueue ?? '?'}`).join('\n')}</title>
      {peerLines}
      <rect x={leftX - 6} y={-BOX_H / 2 - 6} width={2 * BOX_W + GAP + 12} height={BOX_H + 12} rx={14} fill="none" stroke={selected ? palette.lessonAccent : 'none'} strokeWidth={3} />
      <text data-testid={`tcp-title-${end.id}`} y={-BOX_H / 2 - 12} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={15 * s} fontWeight={700}>
        {peer ? t('tcpTitle') : t('tcpTitleOneEnd')}
      </text>
      <line x1={-GAP / 2} y1={0} x2={GAP / 2} y2={0} stroke={palette.nodeStroke} strokeWidth={4} strokeDasharray={peer ? undefined : '4 4'} />
      {leftEnd ? <End o={leftEnd} left={leftX} placed={placed} palette={palette} t={t} s={s} /> : <MissingEnd testId="tcp-end-missing" left={leftX} width={BOX_W} height={BOX_H} title={t('tcpPeerEnd')} text={missing} palette={palette} s={s} />}
      {rightEnd ? <End o={rightEnd} left={rightX} placed={placed} palette={palette} t={t} s={s} /> : <MissingEnd testId="tcp-end-missing" left={rightX} width={BOX_W} height={BOX_H} title={t('tcpPeerEnd')} text={missing} palette={palette} s={s} />}
    </g>
  );
}
