/**
 * A connected Unix socket pair (socketpair, or a connected client and its
 * accepted socket): two endpoints joined, each with its receive queue, state
 * and holders. A stream end shows its queued bytes as one run with no
 * boundaries; a datagram end shows the next datagram as a parcel of its own.
 * The kernel (unix_inq_len, through sock_diag) gives a datagram socket's
 * length of the next datagram only, so only that parcel is drawn, and the
 * picture says so rather than invent the ones behind it.
 */
import type { UnixSocketObject } from '../../../native-bridge/model/snapshot-types';
import { decodeBase64, escapeBytes } from '../../format/bytes-text';
import { objectLabel } from '../../format/kernel-words';
import type { Translate } from '../../i18n/strings';
import { NODE_WIDTH } from '../layout';
import type { PlacedProcess } from '../layout';
import type { Palette } from '../palette';
import type { GlyphProps } from './glyph-props';
import { clipToWidth, estimateWidth } from '../text-fit';
import { InFlightMark } from './in-flight-mark';
import { shortName } from './listener-glyph';
import { MissingEnd } from './missing-end';
import { pairSides } from '../pair-sides';

const BOX_W = 206;
const BOX_H = 132;
/* room between the two ends for the line that joins them */
const GAP = 56;
const QUEUE_TOP = 50;
const QUEUE_H = 40;
const PAD = 10;

interface Props extends GlyphProps {
  /** The end the lesson made (socketpair's sv[0]). */
  end: UnixSocketObject;
  /** The other end, from the same frame; null when the probe has not seen it (closed, or not held by a shown process). */
  peer: UnixSocketObject | null;
  /**
   * The listener this end's connection still waits in: connect() returned but
   * nobody accepted it, so the kernel has made no socket for the other end yet
   * (the probe names the listener as the peer, from its queue). Null otherwise.
   */
  queuedIn?: UnixSocketObject | null;
  placed: PlacedProcess[];
}

/** Text of queued bytes as shown in a queue: escaped, clipped to the width. */
export function queueText(peek: string | null | undefined, width: number, fontSize: number): string | null {
  if (!peek) return null;
  return clipToWidth(escapeBytes(decodeBase64(peek)), width, fontSize, true);
}

function holderText(o: UnixSocketObject, placed: PlacedProcess[], t: Translate): string {
  if (o.holders.length === 0) return t('pairNoHolder');
  return o.holders
    .map((h) => t('pairHolder', { who: placed.find((p) => p.pid === h.pid)?.role ?? String(h.pid), fd: h.fd }))
    .join(', ');
}

function Queue({ o, left, top, palette, t, s }: { o: UnixSocketObject; left: number; top: number; palette: Palette; t: Translate; s: number }) {
  const inner = BOX_W - 2 * PAD;
  const queued = o.queued ?? 0;
  const font = 13 * s;
  const shown = queueText(o.peek, inner - 16, font);
  const caption = (line: number, text: string, muted = false) => (
    <text x={left + PAD} y={top + QUEUE_H + 16 + line * 15} fill={muted ? palette.muted : palette.text} fontFamily={palette.font} fontSize={(muted ? 11 : 12) * s}>
      {clipToWidth(text, inner, (muted ? 11 : 12) * s)}
    </text>
  );
  if (queued === 0) {
    return (
      <g data-testid={`pair-queue-${o.id}`} data-queued={0}>
        <rect x={left + PAD} y={top} width={inner} height={QUEUE_H} rx={6} fill="none" stroke={palette.slotStroke} strokeDasharray="5 4" />
        {caption(0, t('pairEmpty'), true)}
      </g>
    );
  }
  if (o.type === 'dgram') {
    const width = Math.min(inner, Math.max(44, estimateWidth(shown ?? '', font, true) + 18));
    return (
      <g data-testid={`pair-queue-${o.id}`} data-queued={queued}>
        <rect x={left + PAD} y={top} width={inner} height={QUEUE_H} rx={6} fill={palette.slotEmpty} stroke={palette.slotStroke} />
        <rect data-testid={`pair-parcel-${o.id}`} x={left + PAD + 4} y={top + 5} width={width} height={QUEUE_H - 10} rx={8} fill={palette.slotFill} opacity={0.9} stroke={palette.flight} strokeWidth={2} />
        {shown && (
          <text x={left + PAD + 4 + width / 2} y={top + QUEUE_H / 2 + 5} textAnchor="middle" fill={palette.text} fontFamily={palette.mono} fontSize={font} fontWeight={700}>
            {shown}
          </text>
        )}
        {caption(0, t('pairNext', { n: queued }))}
        {caption(1, t('pairNextOnly'), true)}
        <InFlightMark o={o} left={left + PAD} top={top} width={inner} height={QUEUE_H} line={2} palette={palette} t={t} s={s} />
      </g>
    );
  }
  return (
    <g data-testid={`pair-queue-${o.id}`} data-queued={queued}>
      <rect x={left + PAD} y={top} width={inner} height={QUEUE_H} rx={6} fill={palette.slotEmpty} stroke={palette.slotStroke} />
      <rect data-testid={`pair-bytes-${o.id}`} x={left + PAD} y={top} width={inner} height={QUEUE_H} rx={6} fill={palette.slotFill} opacity={0.45} />
      {shown && (
        <text x={left + PAD + 8} y={top + QUEUE_H / 2 + 5} fill={palette.text} fontFamily={palette.mono} fontSize={font} fontWeight={700}>
          {shown}
        </text>
      )}
      {caption(0, t('pairBytes', { n: queued }))}
      <InFlightMark o={o} left={left + PAD} top={top} width={inner} height={QUEUE_H} line={1} palette={palette} t={t} s={s} />
    </g>
  );
}

function End({ o, side, placed, palette, t, s, selected }: { o: UnixSocketObject; side: 'left' | 'right'; placed: PlacedProcess[]; palette: Palette; t: Translate; s: number; selected: boolean }) {
  const left = side === 'left' ? -GAP / 2 - BOX_W : GAP / 2;
  const top = -BOX_H / 2;
  return (
    <g data-testid={`pair-end-${o.id}`} data-side={side} data-type={o.type} data-state={o.state} data-queued={o.queued ?? ''}>
      <rect x={left} y={top} width={BOX_W} height={BOX_H} rx={10} fill={palette.node} stroke={selected ? palette.lessonAccent : palette.nodeStroke} strokeWidth={selected ? 3 : 1.5} />
      <text x={left + PAD} y={top + 19} fill={palette.text} fontFamily={palette.font} fontSize={13.5 * s} fontWeight={700}>
        {objectLabel(o.id)}
      </text>
      <text data-testid={`pair-holder-${o.id}`} x={left + PAD} y={top + 37} fill={palette.muted} fontFamily={palette.mono} fontSize={11.5 * s}>
        {clipToWidth(`${o.state} · ${holderText(o, placed, t)}`, BOX_W - 2 * PAD, 11.5 * s, true)}
      </text>
      <Queue o={o} left={left} top={top + QUEUE_TOP} palette={palette} t={t} s={s} />
    </g>
  );
}

/** The pair: title (stream or datagram), both ends joined, and a line from each holder of the end the layout does not draw edges to. */
export function SocketPairGlyph({ end, peer, queuedIn = null, placed, x, y, palette, t, selected, onSelect }: Props) {
  const s = Math.min(palette.scale, 1.1);
  const [leftEnd, rightEnd] = pairSides(end, peer, placed);
  const pairTitle = end.type === 'stream' ? t('pairStream') : end.type === 'dgram' ? t('pairDgram') : t('pairOther', { type: end.type });
  const title = queuedIn ? t('pairQueuedTitle', { type: end.type }) : pairTitle;
  const missing = (side: 'left' | 'right') =>
    queuedIn && (
      <MissingEnd
        testId={`pair-missing-${end.id}`}
        left={side === 'left' ? -GAP / 2 - BOX_W : GAP / 2}
        width={BOX_W}
        height={BOX_H}
        title={t('pairPeerEnd')}
        text={t('pairQueuedPeer', { name: shortName(queuedIn.path ?? objectLabel(queuedIn.id)) })}
        palette={palette}
        s={s}
      />
    );
  const holderLines = (o: UnixSocketObject | null, side: 'left' | 'right') =>
    o && o.id !== end.id
      ? placed
          // a holder on the far side gets a labelled edge from the layout, round the near end (edge-route.ts overPairRoute)
          .filter((p) => p.side === side && o.holders.some((h) => h.pid === p.pid))
          .map((p) => {
            const nodeX = p.x - x + (p.side === 'left' ? NODE_WIDTH / 2 : -NODE_WIDTH / 2);
            const boxX = side === 'left' ? -GAP / 2 - BOX_W : GAP / 2 + BOX_W;
            return <line key={`${o.id}-${p.pid}`} data-testid={`pair-line-${o.id}-${p.pid}`} x1={nodeX} y1={p.y - y} x2={boxX} y2={0} stroke={palette.readEdge} strokeWidth={2.5} strokeDasharray="7 5" />;
          })
      : null;
  return (
    <g
      data-testid={`object-${end.id}`}
      data-kind={queuedIn ? 'unix-queued' : 'unix-pair'}
      data-queued-in={queuedIn?.id ?? ''}
      data-type={end.type}
      transform={`translate(${x},${y})`} onClick={() => onSelect(end.id)} style={{ cursor: 'pointer' }}>
      {holderLines(leftEnd, 'left')}
      {holderLines(rightEnd, 'right')}
      <text data-testid={`pair-title-${end.id}`} y={-BOX_H / 2 - 12} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={15 * s} fontWeight={700}>
        {title}
      </text>
      <line x1={-GAP / 2} y1={0} x2={GAP / 2} y2={0} stroke={palette.nodeStroke} strokeWidth={4} strokeDasharray={queuedIn ? '4 4' : undefined} />
      <circle cx={-GAP / 2} cy={0} r={4} fill={palette.nodeStroke} />
      <circle cx={GAP / 2} cy={0} r={4} fill={palette.nodeStroke} />
      {leftEnd ? <End o={leftEnd} side="left" placed={placed} palette={palette} t={t} s={s} selected={selected} /> : missing('left')}
      {rightEnd ? <End o={rightEnd} side="right" placed={placed} palette={palette} t={t} s={s} selected={selected} /> : missing('right')}
    </g>
  );
}

/** The other end of a pair among the frame's objects, when the probe reported it. */
export function peerOf(objects: readonly { id: string; kind: string }[], id: string): UnixSocketObject | null {
  const found = objects.find((o) => o.id === id);
  return found && found.kind === 'unix' ? (found as UnixSocketObject) : null;
}
