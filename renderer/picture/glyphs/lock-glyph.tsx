import type { FileLock, FileLockObject } from '../../../native-bridge/model/snapshot-types';
import { RING_RADIUS } from '../layout';
import { fileName } from './mapped-file-glyph';
import type { GlyphProps } from './glyph-props';
import { clipToWidth } from '../text-fit';

/* the column between the two rows of process nodes is about 500 px wide */
const TEXT_WIDTH = RING_RADIUS * 2.8;
const BODY_W = 70;
const BODY_H = 52;
const BODY_TOP = -58;
const SHACKLE_R = 22;
/** Lock lines and waiters drawn; the details panel lists the rest. */
const MAX_LINES = 3;
const QUEUE_BOX_W = 124;

interface Props extends GlyphProps {
  lock: FileLockObject;
}

const endText = (l: FileLock): string => (l.end === null ? 'EOF' : String(l.end));

/**
 * Who waits for the lock, in /proc/locks order (the "->" lines, each with the
 * pid that asked), then any scanned process asleep on it that those lines do
 * not name (an OFD request has no pid).
 */
export function lockWaiters(lock: FileLockObject): number[] {
  const pids = lock.waiters.map((w) => w.pid).filter((pid): pid is number => pid !== null);
  for (const pid of lock.waiting) if (!pids.includes(pid)) pids.push(pid);
  return pids;
}

/** The advisory locks on one file: a padlock, each lock with its type, mode, holder and byte range, and the queue of processes asleep waiting for it. */
export function LockGlyph({ lock, x, y, palette, t, selected, onSelect }: Props) {
  const s = Math.min(palette.scale, 1.1);
  const id = lock.id;
  const held = lock.locks.length > 0;
  const waiters = lockWaiters(lock);
  const colour = held ? palette.lessonAccent : palette.muted;
  const shackleY = BODY_TOP;
  const lines = lock.locks.slice(0, MAX_LINES);
  const queueTop = 22 + lines.length * 38;
  const queue = waiters.slice(0, MAX_LINES);
  const queueLeft = -((queue.length * (QUEUE_BOX_W + 8) - 8) / 2);
  return (
    <g data-testid={`object-${id}`} data-kind="lock" transform={`translate(${x},${y})`} onClick={() => onSelect(id)} style={{ cursor: 'pointer' }}>
      <text data-testid={`lock-title-${id}`} x={0} y={-98} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={17 * s} fontWeight={700}>
        {clipToWidth(t('lockTitle', { file: lock.path ? fileName(lock.path) : `${lock.device}:${lock.inode}` }), TEXT_WIDTH, 17 * s)}
      </text>
      <g data-testid={`lock-icon-${id}`} data-held={held ? 'true' : 'false'}>
        <path
          d={`M${-SHACKLE_R},${shackleY} V${shackleY - 14} A${SHACKLE_R},${SHACKLE_R} 0 0 1 ${SHACKLE_R},${shackleY - 14} V${held ? shackleY : shackleY - 8}`}
          fill="none"
          stroke={colour}
          strokeWidth={7}
          strokeLinecap="round"
        />
        <rect x={-BODY_W / 2} y={BODY_TOP} width={BODY_W} height={BODY_H} rx={8} fill={held ? palette.slotFill : palette.slotEmpty} stroke={selected ? palette.text : colour} strokeWidth={selected ? 3 : 2} />
        <circle cx={0} cy={BODY_TOP + BODY_H / 2 - 4} r={6} fill={palette.background} />
        <rect x={-2.5} y={BODY_TOP + BODY_H / 2 - 2} width={5} height={12} fill={palette.background} />
      </g>
      {lines.map((l, i) => (
        <g key={`${l.type}-${l.pid ?? 'ofd'}-${l.start}-${i}`} data-testid={`lock-holder-${id}-${i}`} fontFamily={palette.font} textAnchor="middle">
          <text x={0} y={20 + i * 38} fill={palette.text} fontSize={14 * s} fontWeight={600}>
            {clipToWidth(l.pid === null ? t('lockHeldNoPid', { type: l.type, mode: l.mode }) : t('lockHeldBy', { type: l.type, mode: l.mode, pid: l.pid }), TEXT_WIDTH, 14 * s)}
          </text>
          <text x={0} y={37 + i * 38} fill={palette.muted} fontFamily={palette.mono} fontSize={12 * s}>
            {t('lockRange', { start: l.start, end: endText(l) })}
          </text>
        </g>
      ))}
      <g data-testid={`lock-waiting-${id}`} data-count={waiters.length}>
        <text x={0} y={queueTop + 8} textAnchor="middle" fill={waiters.length > 0 ? palette.blocked : palette.muted} fontFamily={palette.font} fontSize={12.5 * s}>
          {waiters.length > 0 ? t('lockWaitingTitle') : t('lockNoWaiter')}
        </text>
        {queue.map((pid, i) => (
          <g key={pid} data-testid={`lock-waiter-${id}-${pid}`} transform={`translate(${queueLeft + i * (QUEUE_BOX_W + 8)},${queueTop + 16})`}>
            <rect width={QUEUE_BOX_W} height={24} rx={12} fill="none" stroke={palette.blocked} strokeWidth={2} strokeDasharray="5 3" />
            <text x={QUEUE_BOX_W / 2} y={16} textAnchor="middle" fill={palette.blocked} fontFamily={palette.font} fontSize={12 * s} fontWeight={600}>
              {clipToWidth(t('lockWaiter', { pid }), QUEUE_BOX_W - 8, 12 * s)}
            </text>
          </g>
        ))}
      </g>
      <text x={0} y={queueTop + (queue.length > 0 ? 60 : 28)} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={11.5 * s}>
        {clipToWidth(t('lockAdvisory'), TEXT_WIDTH, 11.5 * s)}
      </text>
    </g>
  );
}
