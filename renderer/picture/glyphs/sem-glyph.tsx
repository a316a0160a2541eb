import type { SemaphoreValue, SemSetObject } from '../../../native-bridge/model/snapshot-types';
import { objectLabel } from '../../format/kernel-words';
import type { Translate } from '../../i18n/strings';
import { NODE_WIDTH, RING_RADIUS } from '../layout';
import type { Palette } from '../palette';
import type { GlyphProps } from './glyph-props';
import { clipToWidth } from '../text-fit';

/* the column between the two rows of process nodes is about 500 px wide */
const SET_WIDTH = RING_RADIUS * 4;
const GAP = 10;
const COUNTER_TOP = -44;
const COUNTER_HEIGHT = 58;
/** Semaphores drawn one by one; a bigger set shows the first ones and a count. */
const MAX_DRAWN = 6;
/** Waiter chips under one counter before "+N more". */
const MAX_CHIPS = 2;
const CHIP_HEIGHT = 20;
/** Chips start this far under a counter: below its sempid, semncnt and semzcnt lines. */
const CHIPS_AT = 58;

/** A process the picture placed, for the lines from waiters to what they wait on. */
export interface SemPlaced {
  pid: number;
  x: number;
  y: number;
  side: 'left' | 'right';
}

/** Whom a waiting pid waits for, when the kernel's counts allow only one reading. */
export interface SemWaiter {
  pid: number;
  num: number;
  forZero: boolean;
}

/**
 * Which semaphore each sleeping PID waits on: from the operations it passed
 * to semop (waitOps, read from its memory by the probe) when every waiter's
 * could be read. Otherwise from the kernel's counts alone (GETNCNT, GETZCNT
 * per semaphore, the PIDs asleep in semop per set): the PIDs are placed on a
 * queue only when exactly one queue of the set is non-empty and its count
 * equals the PIDs seen. Else null: the counts are drawn, and the PIDs under
 * the whole set.
 */
export function attributeWaiters(sem: SemSetObject): SemWaiter[] | null {
  const fromOps = sem.waitOps ? sem.waiting.map((pid) => blockingOp(sem, pid)) : [];
  if (sem.waitOps && fromOps.every((w) => w !== null)) return fromOps as SemWaiter[];
  const queues: { num: number; forZero: boolean; count: number }[] = [];
  sem.semaphores.forEach((s, num) => {
    if (s.waitingForIncrease > 0) queues.push({ num, forZero: false, count: s.waitingForIncrease });
    if (s.waitingForZero > 0) queues.push({ num, forZero: true, count: s.waitingForZero });
  });
  if (queues.length === 0) return sem.waiting.length === 0 ? [] : null;
  if (queues.length !== 1 || queues[0]!.count !== sem.waiting.length) return null;
  const { num, forZero } = queues[0]!;
  return sem.waiting.map((pid) => ({ pid, num, forZero }));
}

/**
 * The operation a waiter sleeps on, from the sembufs it passed (waitOps):
 * the first that cannot proceed with the values now (sem_op 0 on a non-zero
 * value, or a decrement below 0), as the kernel counts it; its only one
 * otherwise. null when the probe could not read its operations.
 */
function blockingOp(sem: SemSetObject, pid: number): SemWaiter | null {
  const ops = (sem.waitOps ?? []).filter((o) => o.pid === pid);
  const blocks = (o: { num: number; op: number }): boolean => {
    const value = sem.semaphores[o.num]?.value;
    return value !== undefined && (o.op === 0 ? value !== 0 : o.op < 0 && value + o.op < 0);
  };
  const op = ops.find(blocks) ?? (ops.length === 1 ? ops[0] : undefined);
  return op ? { pid, num: op.num, forZero: op.op === 0 } : null;
}

export const semKeyHex = (key: number): string => `0x${(key >>> 0).toString(16).padStart(8, '0')}`;

interface Props extends GlyphProps {
  sem: SemSetObject;
  /** Placed processes asleep in semop on the set (sem.waiting), drawn with a line to what they wait on. */
  waiters: SemPlaced[];
}

function Counter({ sem, num, value, left, width, waiters, palette, t }: { sem: SemSetObject; num: number; value: SemaphoreValue; left: number; width: number; waiters: SemWaiter[] | null; palette: Palette; t: Translate }) {
  const s = Math.min(palette.scale, 1.1);
  const mine = (waiters ?? []).filter((w) => w.num === num);
  const waited = value.waitingForIncrease + value.waitingForZero > 0;
  const mid = left + width / 2;
  const below = COUNTER_TOP + COUNTER_HEIGHT;
  return (
    <g data-testid={`sem-${sem.id}-${num}`} data-value={value.value} data-ncnt={value.waitingForIncrease} data-zcnt={value.waitingForZero} data-sempid={value.lastPid}>
      <text x={left + 4} y={COUNTER_TOP - 6} fill={palette.muted} fontFamily={palette.mono} fontSize={13 * s}>
        {t('semNum', { num })}
      </text>
      <rect x={left} y={COUNTER_TOP} width={width} height={COUNTER_HEIGHT} rx={8} fill={palette.slotEmpty} stroke={waited ? palette.blocked : palette.slotStroke} strokeWidth={waited ? 2.5 : 1.5} />
      <text data-testid={`sem-value-${sem.id}-${num}`} x={mid} y={COUNTER_TOP + 41} textAnchor="middle" fill={value.value > 0 ? palette.running : palette.text} fontFamily={palette.font} fontSize={30 * s} fontWeight={700}>
        {value.value}
      </text>
      <text data-testid={`sem-pid-${sem.id}-${num}`} x={mid} y={below + 17} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={12.5 * s}>
        {clipToWidth(value.lastPid === 0 ? t('semLastPidNone') : t('semLastPid', { pid: value.lastPid }), width + GAP, 12.5 * s)}
      </text>
      <text data-testid={`sem-ncnt-${sem.id}-${num}`} x={mid} y={below + 33} textAnchor="middle" fill={value.waitingForIncrease > 0 ? palette.blocked : palette.muted} fontFamily={palette.mono} fontSize={12.5 * s}>
        {t('semNcnt', { n: value.waitingForIncrease })}
      </text>
      <text data-testid={`sem-zcnt-${sem.id}-${num}`} x={mid} y={below + 49} textAnchor="middle" fill={value.waitingForZero > 0 ? palette.blocked : palette.muted} fontFamily={palette.mono} fontSize={12.5 * s}>
        {t('semZcnt', { n: value.waitingForZero })}
      </text>
      {mine.slice(0, MAX_CHIPS).map((w, i) => (
        <g key={w.pid} data-testid={`sem-waiter-${sem.id}-${num}-${w.pid}`} data-for={w.forZero ? 'zero' : 'increase'} transform={`translate(${left},${below + CHIPS_AT + i * (CHIP_HEIGHT + 3)})`}>
          <rect width={width} height={CHIP_HEIGHT} rx={CHIP_HEIGHT / 2} fill={palette.node} stroke={palette.blocked} strokeWidth={1.5} />
          <text x={width / 2} y={14.5} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={12.5 * s}>
            {clipToWidth(t(w.forZero ? 'semChipZero' : 'semChipIncrease', { pid: w.pid }), width - 6, 12.5 * s)}
          </text>
          <title>{t(w.forZero ? 'semWaitsZero' : 'semWaitsIncrease', { pid: w.pid })}</title>
        </g>
      ))}
      {mine.length > MAX_CHIPS && (
        <text x={mid} y={below + CHIPS_AT + MAX_CHIPS * (CHIP_HEIGHT + 3) + 13} textAnchor="middle" fill={palette.blocked} fontFamily={palette.font} fontSize={12 * s}>
          {t('semMoreWaiters', { count: mine.length - MAX_CHIPS })}
        </text>
      )}
    </g>
  );
}

/** A System V semaphore set: one counter per semaphore with its value, who operated last, and the processes waiting for it to increase or to reach 0. */
export function SemGlyph({ sem, waiters, x, y, palette, t, selected, onSelect }: Props) {
  const s = Math.min(palette.scale, 1.1);
  const drawn = sem.semaphores.slice(0, MAX_DRAWN);
  const n = Math.max(1, drawn.length);
  const width = Math.min(120, (SET_WIDTH - GAP * (n - 1)) / n);
  const total = n * width + (n - 1) * GAP;
  const left0 = -total / 2;
  const attributed = attributeWaiters(sem);
  const counterMid = (num: number): number => left0 + num * (width + GAP) + width / 2;
  const bottom = COUNTER_TOP + COUNTER_HEIGHT + CHIPS_AT + MAX_CHIPS * (CHIP_HEIGHT + 3) + 8;
  return (
    <g data-testid={`object-${sem.id}`} data-kind="sem" transform={`translate(${x},${y})`} onClick={() => onSelect(sem.id)} style={{ cursor: 'pointer' }}>
      {waiters.map((p) => {
        const target = attributed?.find((w) => w.pid === p.pid);
        const nodeX = p.x - x + (p.side === 'left' ? NODE_WIDTH / 2 : -NODE_WIDTH / 2);
        const toX = target && target.num < MAX_DRAWN ? counterMid(target.num) : p.side === 'left' ? left0 : -left0;
        return (
          <line
            key={p.pid}
            data-testid={`sem-wait-line-${sem.id}-${p.pid}`}
            x1={nodeX}
            y1={p.y - y}
            x2={toX}
            y2={COUNTER_TOP + COUNTER_HEIGHT / 2}
            stroke={palette.blocked}
            strokeWidth={2}
            strokeDasharray="6 5"
            opacity={0.8}
          />
        );
      })}
      <rect x={left0 - 12} y={COUNTER_TOP - 58} width={total + 24} height={bottom + 44 - COUNTER_TOP + 58} rx={12} fill={palette.node} stroke={selected ? palette.lessonAccent : palette.nodeStroke} strokeWidth={selected ? 3 : 1.5} opacity={0.92} />
      <text data-testid={`sem-title-${sem.id}`} x={left0} y={COUNTER_TOP - 34} fill={palette.text} fontFamily={palette.font} fontSize={17 * s} fontWeight={700}>
        {objectLabel(sem.id)}
      </text>
      <text data-testid={`sem-key-${sem.id}`} x={left0 + total} y={COUNTER_TOP - 34} textAnchor="end" fill={palette.muted} fontFamily={palette.mono} fontSize={12.5 * s}>
        {sem.key === 0 ? t('semKeyPrivate') : t('semKey', { key: semKeyHex(sem.key) })}
      </text>
      {drawn.map((value, num) => (
        <Counter key={num} sem={sem} num={num} value={value} left={left0 + num * (width + GAP)} width={width} waiters={attributed} palette={palette} t={t} />
      ))}
      {sem.semaphores.length > MAX_DRAWN && (
        <text x={left0 + total} y={COUNTER_TOP - 18} textAnchor="end" fill={palette.muted} fontFamily={palette.font} fontSize={12 * s}>
          {t('semMoreWaiters', { count: sem.semaphores.length - MAX_DRAWN })}
        </text>
      )}
      {attributed === null && (
        <text data-testid={`sem-waiting-${sem.id}`} x={0} y={bottom - 4} textAnchor="middle" fill={palette.blocked} fontFamily={palette.font} fontSize={13 * s}>
          {clipToWidth(t('semWaitingOnSet', { pids: sem.waiting.join(', ') }), total, 13 * s)}
        </text>
      )}
      {(['semLegendIncrease', 'semLegendZero'] as const).map((key, i) => (
        <text key={key} x={0} y={bottom + 18 + i * 17} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={12.5 * s}>
          {clipToWidth(t(key), total + 24, 12.5 * s)}
        </text>
      ))}
    </g>
  );
}
