import type { MsgQueueObject } from '../../../native-bridge/model/snapshot-types';
import { decodeBase64, escapeBytes } from '../../format/bytes-text';
import { objectLabel } from '../../format/kernel-words';
import type { Translate } from '../../i18n/strings';
import { NODE_WIDTH } from '../layout';
import type { GlyphProps } from './glyph-props';
import { clipToWidth } from '../text-fit';

const TUBE_WIDTH = 340;
const TUBE_HEIGHT = 92;
const TUBE_TOP = -68;
const TUBE_LEFT = -TUBE_WIDTH / 2;
const TUBE_MID = TUBE_TOP + TUBE_HEIGHT / 2;
/** Message boxes drawn; more are summed up in the last slot as "+N more". */
export const MAX_DRAWN_MESSAGES = 4;
const SLOT_PAD = 6;
const SLOT_WIDTH = (TUBE_WIDTH - SLOT_PAD) / MAX_DRAWN_MESSAGES;
const BAR_TOP = TUBE_TOP + TUBE_HEIGHT + 10;
const BAR_HEIGHT = 10;
/* below the tube, a blocked process's badge hangs from its node into the column: keep the lines within ±140 */
const TEXT_WIDTH = 270;

/** A placed process that is asleep on this queue, drawn at the end it waits at. */
export interface MsgqWaiter {
  pid: number;
  x: number;
  y: number;
  side: 'left' | 'right';
}

interface Props extends GlyphProps {
  queue: MsgQueueObject;
  /** Placed processes, to find the waiters and which end is the entrance. */
  placed: MsgqWaiter[];
}

/** "0x71010a24", as ipcs prints keys. */
export const msgqKeyHex = (key: number): string => `0x${(key >>> 0).toString(16).padStart(8, '0')}`;

/** How full the queue is (0..1): used bytes against msg_qbytes; 0 when msg_qbytes is unknown (0). */
export function queueFill(bytes: number, maxBytes: number): number {
  return maxBytes > 0 ? Math.min(1, bytes / maxBytes) : 0;
}

/**
 * Which end is the entrance (msgsnd): the side of a waiting sender, else of
 * the last sender, else of a waiting or the last receiver's opposite, else
 * left. Messages flow from the entrance to the exit, oldest at the exit.
 */
export function entranceSide(queue: MsgQueueObject, placed: MsgqWaiter[]): 'left' | 'right' {
  const sideOf = (pid: number | undefined) => placed.find((p) => p.pid === pid)?.side;
  const sender = sideOf(queue.waitingSenders[0]) ?? sideOf(queue.lastSender);
  if (sender) return sender;
  const receiver = sideOf(queue.waitingReceivers[0]) ?? sideOf(queue.lastReceiver);
  if (receiver) return receiver === 'left' ? 'right' : 'left';
  return 'left';
}

/** What a waiting receiver asked for, from msgtyp (receiverTypes): 0 any, > 0 that type, < 0 the lowest up to |msgtyp|. */
export function receiverWaitText(pid: number, type: number | undefined, t: Translate): string {
  if (type === undefined) return t('msgqReceiverWaits', { pid });
  if (type === 0) return t('msgqReceiverWaitsAny', { pid });
  return type > 0 ? t('msgqReceiverWaitsType', { pid, type }) : t('msgqReceiverWaitsLowest', { pid, type: -type });
}

type Box = { index: number; type: number | null; bytes: number | null; peek: string | null } | { index: number; more: number };

/** The boxes to draw, oldest first: copied messages (MSG_COPY), plain boxes when none were copied, "+N more" past the last slot. */
export function messageBoxes(queue: MsgQueueObject): Box[] {
  const copied = queue.firstMessages ?? [];
  const total = Math.max(queue.messages, copied.length);
  const drawn = total > MAX_DRAWN_MESSAGES ? MAX_DRAWN_MESSAGES - 1 : total;
  const boxes: Box[] = [];
  for (let i = 0; i < drawn; i += 1) {
    const m = copied[i];
    boxes.push(m ? { index: i, type: m.type, bytes: m.bytes, peek: m.peek } : { index: i, type: null, bytes: null, peek: null });
  }
  if (total > drawn) boxes.push({ index: drawn, more: total - drawn });
  return boxes;
}

/** The System V message queue: a tube of typed messages, msg_qbytes as a capacity bar, and its waiters at the ends. */
export function MsgqGlyph({ queue, placed, x, y, palette, t, selected, onSelect }: Props) {
  const s = Math.min(palette.scale, 1.1);
  const id = queue.id;
  const entrance = entranceSide(queue, placed);
  const exitX = entrance === 'left' ? -TUBE_LEFT : TUBE_LEFT;
  const entranceX = -exitX;
  /* slot i counted from the exit end */
  const slotX = (i: number) => (entrance === 'left' ? -TUBE_LEFT - SLOT_PAD / 2 - (i + 1) * SLOT_WIDTH : TUBE_LEFT + SLOT_PAD / 2 + i * SLOT_WIDTH);
  const fill = queueFill(queue.bytes, queue.maxBytes);
  const waiters = [
    ...queue.waitingSenders.map((pid) => ({ pid, sender: true })),
    ...queue.waitingReceivers.map((pid) => ({ pid, sender: false })),
  ];
  const below = BAR_TOP + BAR_HEIGHT;
  return (
    <g data-testid={`object-${id}`} data-kind="msg" data-entrance={entrance} transform={`translate(${x},${y})`} onClick={() => onSelect(id)} style={{ cursor: 'pointer' }}>
      {waiters.map(({ pid, sender }) => {
        const node = placed.find((p) => p.pid === pid);
        if (!node) return null;
        const nodeX = node.x - x + (node.side === 'left' ? NODE_WIDTH / 2 : -NODE_WIDTH / 2);
        const endX = sender ? entranceX : exitX;
        return (
          <g key={`${sender ? 's' : 'r'}${pid}`} data-testid={`msgq-waitline-${id}-${pid}`}>
            <line x1={nodeX} y1={node.y - y} x2={endX} y2={TUBE_MID} stroke={palette.blocked} strokeWidth={2.5} strokeDasharray="6 5" />
            <circle cx={endX} cy={TUBE_MID} r={7} fill={palette.blocked} />
          </g>
        );
      })}
      <text data-testid={`msgq-title-${id}`} x={0} y={-120} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={18 * s} fontWeight={700}>
        {objectLabel(id)}
      </text>
      <text data-testid={`msgq-key-${id}`} x={0} y={-97} textAnchor="middle" fill={palette.muted} fontFamily={palette.mono} fontSize={13.5 * s}>
        {queue.key === 0 ? t('msgqKeyPrivate') : t('msgqKey', { key: msgqKeyHex(queue.key) })}
      </text>
      <text x={entranceX} y={TUBE_TOP - 8} textAnchor={entrance === 'left' ? 'start' : 'end'} fill={palette.muted} fontFamily={palette.mono} fontSize={12 * s}>
        {t('msgqIn')}
      </text>
      <text x={exitX} y={TUBE_TOP - 8} textAnchor={entrance === 'left' ? 'end' : 'start'} fill={palette.muted} fontFamily={palette.mono} fontSize={12 * s}>
        {t('msgqOut')}
      </text>
      <rect x={TUBE_LEFT} y={TUBE_TOP} width={TUBE_WIDTH} height={TUBE_HEIGHT} rx={10} fill={palette.slotEmpty} stroke={selected ? palette.lessonAccent : palette.nodeStroke} strokeWidth={selected ? 3 : 1.5} />
      <g data-testid={`msgq-messages-${id}`} data-messages={queue.messages}>
        {queue.messages === 0 && (
          <text x={0} y={TUBE_MID + 5} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={14 * s}>
            {t('msgqEmpty')}
          </text>
        )}
        {messageBoxes(queue).map((box) => {
          const left = slotX(box.index) + 3;
          const width = SLOT_WIDTH - 6;
          if ('more' in box) {
            return (
              <text key="more" data-testid={`msgq-more-${id}`} x={left + width / 2} y={TUBE_MID + 5} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={13 * s}>
                {t('msgqMore', { n: box.more })}
              </text>
            );
          }
          const peek = box.peek === null ? null : escapeBytes(decodeBase64(box.peek));
          return (
            <g key={box.index} data-testid={`msgq-msg-${id}-${box.index}`} data-type={box.type ?? ''} data-bytes={box.bytes ?? ''}>
              <rect x={left} y={TUBE_TOP + 6} width={width} height={TUBE_HEIGHT - 12} rx={6} fill={palette.slotFill} opacity={0.3} stroke={palette.slotFill} strokeWidth={1.5} />
              {box.type !== null && (
                <text x={left + width / 2} y={TUBE_TOP + 27} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={14.5 * s} fontWeight={700}>
                  {t('msgqType', { type: box.type })}
                </text>
              )}
              {box.bytes !== null && (
                <text x={left + width / 2} y={TUBE_TOP + 49} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={13 * s}>
                  {`${box.bytes} B`}
                </text>
              )}
              {peek !== null && (
                <text data-testid={`msgq-peek-${id}-${box.index}`} x={left + width / 2} y={TUBE_TOP + 71} textAnchor="middle" fill={palette.flight} fontFamily={palette.mono} fontSize={12.5 * s}>
                  {clipToWidth(peek, width - 6, 12.5 * s, true)}
                </text>
              )}
            </g>
          );
        })}
      </g>
      <g data-testid={`msgq-capacity-${id}`} data-bytes={queue.bytes} data-max={queue.maxBytes} data-fill={fill.toFixed(4)}>
        <rect x={TUBE_LEFT} y={BAR_TOP} width={TUBE_WIDTH} height={BAR_HEIGHT} rx={3} fill={palette.slotEmpty} stroke={palette.slotStroke} strokeWidth={1} />
        <rect x={entrance === 'left' ? -TUBE_LEFT - TUBE_WIDTH * fill : TUBE_LEFT} y={BAR_TOP} width={TUBE_WIDTH * fill} height={BAR_HEIGHT} rx={3} fill={fill >= 1 ? palette.blocked : palette.slotFill} />
        <text data-testid={`msgq-capacity-text-${id}`} x={0} y={below + 20} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={14 * s}>
          {clipToWidth(queue.maxBytes > 0 ? t('msgqCapacity', { bytes: queue.bytes, max: queue.maxBytes }) : t('msgqCapacityUnknown', { bytes: queue.bytes }), TEXT_WIDTH, 14 * s)}
        </text>
      </g>
      <text data-testid={`msgq-count-${id}`} x={0} y={below + 40} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={13 * s}>
        {clipToWidth(t('msgqCount', { messages: queue.messages, bytes: queue.bytes }), TEXT_WIDTH, 13 * s)}
      </text>
      <text data-testid={`msgq-pids-${id}`} x={0} y={below + 59} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={13 * s}>
        {/* lspid / lrpid 0: no msgsnd / msgrcv yet */}
        {clipToWidth(
          t('msgqPids', { lspid: queue.lastSender === 0 ? t('msgqNone') : queue.lastSender, lrpid: queue.lastReceiver === 0 ? t('msgqNone') : queue.lastReceiver }),
          TEXT_WIDTH,
          13 * s,
        )}
      </text>
      {waiters.map(({ pid, sender }, i) => (
        <text
          key={`${sender ? 's' : 'r'}${pid}`}
          data-testid={`msgq-waits-${id}-${pid}`}
          x={0}
          y={below + 80 + i * 19}
          textAnchor="middle"
          fill={palette.blocked}
          fontFamily={palette.font}
          fontSize={13 * s}
          fontWeight={600}
        >
          {clipToWidth(sender ? t('msgqSenderWaits', { pid }) : receiverWaitText(pid, queue.receiverTypes?.[String(pid)], t), TEXT_WIDTH, 13 * s)}
        </text>
      ))}
    </g>
  );
}
