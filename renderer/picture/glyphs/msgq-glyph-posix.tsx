import type { MqueueObject, ProcessInfo } from '../../../native-bridge/model/snapshot-types';
import type { GlyphProps } from './glyph-props';
import { clipToWidth } from '../text-fit';

/* fd edges end on a circle of RING_RADIUS + 6 around the object: the tube stays inside it */
const TUBE_WIDTH = 236;
const TUBE_HEIGHT = 80;
const TUBE_TOP = -52;
const TUBE_LEFT = -TUBE_WIDTH / 2;
const SLOT_PAD = 6;
const BAR_TOP = TUBE_TOP + TUBE_HEIGHT + 10;
/* below the tube, a blocked process's badge hangs from its node into the column: keep the lines within ±140 */
const TEXT_WIDTH = 270;
/* x86_64: mq_timedsend 242, mq_timedreceive 243 (glibc's mq_send / mq_receive) */
const SYS_MQ_TIMEDSEND = 242;
const SYS_MQ_TIMEDRECEIVE = 243;

/** A placed process, to find the queue's exit (a reader's side) and who sleeps on it. */
export interface MqueuePlaced {
  pid: number;
  side: 'left' | 'right';
  process: ProcessInfo | null;
}

interface Props extends GlyphProps {
  queue: MqueueObject;
  placed: MqueuePlaced[];
}

/** The end messages leave by: the side of a process holding the queue for reading (mq_receive), else the right. */
export function mqueueExitSide(queue: MqueueObject, placed: MqueuePlaced[]): 'left' | 'right' {
  const reader = queue.holders.find((h) => h.access !== 'w' && placed.some((p) => p.pid === h.pid));
  return reader ? placed.find((p) => p.pid === reader.pid)!.side : 'right';
}

/** Placed processes asleep in mq_send / mq_receive on this queue (their blocked object is its id). */
export function mqueueWaiters(queue: MqueueObject, placed: MqueuePlaced[]): { pid: number; sending: boolean }[] {
  return placed
    .filter((p) => p.process?.blocked?.object === queue.id && [SYS_MQ_TIMEDSEND, SYS_MQ_TIMEDRECEIVE].includes(p.process.blocked.syscallNr))
    .map((p) => ({ pid: p.pid, sending: p.process!.blocked!.syscallNr === SYS_MQ_TIMEDSEND }));
}

/**
 * A POSIX message queue: one slot per message it may hold (mq_maxmsg),
 * filled up to mq_curmsgs from the exit, QSIZE in bytes when the kernel lets
 * it be read, and a plain word on why no message's bytes are shown: a POSIX
 * queue has no peek (mq_receive removes what it reads).
 */
export function MqueueGlyph({ queue, placed, x, y, palette, t, selected, onSelect }: Props) {
  const s = Math.min(palette.scale, 1.1);
  const id = queue.id;
  const exit = mqueueExitSide(queue, placed);
  const slots = Math.max(1, Math.min(10, queue.maxMessages ?? Math.max(queue.messages ?? 0, 1)));
  const slotWidth = (TUBE_WIDTH - SLOT_PAD) / slots;
  const filled = Math.min(slots, queue.messages ?? 0);
  const slotX = (i: number) => (exit === 'right' ? -TUBE_LEFT - SLOT_PAD / 2 - (i + 1) * slotWidth : TUBE_LEFT + SLOT_PAD / 2 + i * slotWidth);
  const below = BAR_TOP;
  const waiters = mqueueWaiters(queue, placed);
  return (
    <g data-testid={`object-${id}`} data-kind="mqueue" data-exit={exit} transform={`translate(${x},${y})`} onClick={() => onSelect(id)} style={{ cursor: 'pointer' }}>
      <text data-testid={`mqueue-title-${id}`} x={0} y={-100} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={17 * s} fontWeight={700}>
        {t('mqueueTitle')}
      </text>
      <text data-testid={`mqueue-name-${id}`} x={0} y={-79} textAnchor="middle" fill={palette.muted} fontFamily={palette.mono} fontSize={13 * s}>
        {clipToWidth(queue.name, TEXT_WIDTH, 13 * s, true)}
      </text>
      <rect x={TUBE_LEFT} y={TUBE_TOP} width={TUBE_WIDTH} height={TUBE_HEIGHT} rx={10} fill={palette.slotEmpty} stroke={selected ? palette.lessonAccent : palette.nodeStroke} strokeWidth={selected ? 3 : 1.5} />
      <g data-testid={`mqueue-slots-${id}`} data-slots={slots} data-messages={queue.messages ?? ''}>
        {Array.from({ length: slots }, (_, i) => (
          <rect
            key={i}
            data-testid={`mqueue-slot-${id}-${i}`}
            data-filled={i < filled ? 'true' : 'false'}
            x={slotX(i) + 2}
            y={TUBE_TOP + 8}
            width={slotWidth - 4}
            height={TUBE_HEIGHT - 16}
            rx={5}
            fill={i < filled ? palette.slotFill : 'none'}
            opacity={i < filled ? 0.55 : 1}
            stroke={palette.slotStroke}
            strokeDasharray={i < filled ? undefined : '4 4'}
          />
        ))}
      </g>
      <text data-testid={`mqueue-count-${id}`} x={0} y={below + 14} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={14 * s}>
        {clipToWidth(queue.messages === null ? t('mqueueCountUnknown') : t('mqueueCount', { messages: queue.messages, max: queue.maxMessages ?? '?' }), TEXT_WIDTH, 14 * s)}
      </text>
      <text data-testid={`mqueue-bytes-${id}`} x={0} y={below + 34} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={13 * s}>
        {clipToWidth(
          queue.queued === null ? t('mqueueQsizeUnknown') : t('mqueueQsize', { bytes: queue.queued, size: queue.messageSize ?? '?' }),
          TEXT_WIDTH,
          13 * s,
        )}
      </text>
      <text data-testid={`mqueue-nopeek-${id}`} x={0} y={below + 53} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={12 * s} fontStyle="italic">
        {clipToWidth(t('mqueueNoPeek'), TEXT_WIDTH, 12 * s)}
      </text>
      {waiters.map(({ pid, sending }, i) => (
        <text key={pid} data-testid={`mqueue-waits-${id}-${pid}`} x={0} y={below + 74 + i * 19} textAnchor="middle" fill={palette.blocked} fontFamily={palette.font} fontSize={13 * s} fontWeight={600}>
          {clipToWidth(t(sending ? 'mqueueSenderWaits' : 'mqueueReceiverWaits', { pid }), TEXT_WIDTH, 13 * s)}
        </text>
      ))}
    </g>
  );
}
