import { arc } from 'd3';
import { useMemo } from 'react';
import type { PipeObject } from '../../../native-bridge/model/snapshot-types';
import { peekText } from '../../format/bytes-text';
import { objectLabel } from '../../format/kernel-words';
import { pipeEndsText } from '../../format/pipe-ends-text';
import { RING_RADIUS } from '../layout';
import { clipToWidth } from '../text-fit';
import type { GlyphProps } from './glyph-props';
import { useTweened } from '../motion/use-picture-clock';

/* PIPE_BUF / page size: the kernel's pipe ring holds page-sized buffers (16 by default, F_GETPIPE_SZ 65536). */
const PAGE = 4096;
const DEFAULT_SLOTS = 16;
const THICKNESS = 26;
/** A few bytes in a 4 KiB slot would be invisible; the exact number is printed in the middle. */
const MIN_VISIBLE = 0.12;

interface Props extends GlyphProps {
  pipe: PipeObject;
  /** Bytes the slots show: the kernel's queued count while no bytes are in flight to or from this pipe (flight-schedule.ts). */
  ringBytes?: number;
}

const slotArc = arc<{ start: number; end: number; inner: number; outer: number }>()
  .innerRadius((d) => d.inner)
  .outerRadius((d) => d.outer)
  .startAngle((d) => d.start)
  .endAngle((d) => d.end)
  .padAngle(0.025)
  .cornerRadius(3);

export function slotFill(queued: number, slot: number): number {
  const fraction = Math.max(0, Math.min(1, (queued - slot * PAGE) / PAGE));
  return fraction > 0 ? Math.max(MIN_VISIBLE, fraction) : 0;
}

export function PipeRing({ pipe, ringBytes, x, y, palette, t, selected, onSelect }: Props) {
  const slots = pipe.capacity ? Math.max(1, Math.round(pipe.capacity / PAGE)) : DEFAULT_SLOTS;
  const queued = useTweened(ringBytes ?? pipe.queued ?? 0);
  const outer = RING_RADIUS;
  const inner = RING_RADIUS - THICKNESS;
  const step = (2 * Math.PI) / slots;
  // The empty ring depends only on the slot count; only the fills move while the queue eases.
  const emptyArcs = useMemo(
    () =>
      Array.from({ length: slots }, (_, k) => {
        const start = k * step;
        return slotArc({ start, end: start + step, inner, outer }) ?? '';
      }),
    [slots, step, inner, outer],
  );
  // The middle of the ring has a fixed size: lecture mode enlarges its text only a little.
  const s = Math.min(palette.scale, 1.08);
  const fillText =
    pipe.queued === null || pipe.capacity === null
      ? t('fillUnknown')
      : t('fillBytes', { queued: pipe.queued, capacity: pipe.capacity });
  // bytes are copied (tee) from a read end: with none held by any process (a read end in flight in a socket), they cannot be shown;
  // an observation copies none (peekBytes 0): the count only. "(empty)" only when the kernel says 0 bytes are queued.
  const notRead = !pipe.peek && !!pipe.queued && pipe.readers > 0;
  const peek = pipe.peek
    ? peekText(pipe.peek, 22)
    : pipe.queued
      ? pipe.readers === 0
        ? t('pipeNoPeek')
        : clipToWidth(t('pipeNotRead'), 2 * inner - 16, 14 * s)
      : pipe.queued === 0
        ? t('emptyPipe')
        : '';
  return (
    <g
      data-testid={`object-${pipe.id}`}
      data-kind={pipe.kind}
      transform={`translate(${x},${y})`}
      onClick={() => onSelect(pipe.id)}
      style={{ cursor: 'pointer' }}
      role="button"
      aria-label={`${objectLabel(pipe.id)}: ${fillText}`}
    >
      <circle r={outer + 14} fill={palette.background} stroke={selected ? palette.lessonAccent : 'none'} strokeWidth={3} />
      {Array.from({ length: slots }, (_, k) => {
        const f = slotFill(queued, k);
        const start = k * step;
        return (
          <g key={k} data-testid={`slot-${pipe.id}-${k}`} data-fill={f.toFixed(3)}>
            <path d={emptyArcs[k]} fill={palette.slotEmpty} stroke={palette.slotStroke} strokeWidth={1} />
            {f > 0 && (
              <path d={slotArc({ start, end: start + step, inner, outer: inner + THICKNESS * f }) ?? ''} fill={palette.slotFill} />
            )}
          </g>
        );
      })}
      <text y={-42 * s} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={14 * s} fontWeight={600}>
        {pipe.kind === 'fifo' && pipe.path ? pipe.path : objectLabel(pipe.id)}
      </text>
      <text
        data-testid={`fill-${pipe.id}`}
        y={-10 * s}
        textAnchor="middle"
        fill={palette.text}
        fontFamily={palette.font}
        fontSize={19 * s}
        fontWeight={700}
      >
        {fillText}
      </text>
      {notRead && <title>{t('pipeNotReadWhy', { queued: pipe.queued ?? 0 })}</title>}
      <text
        data-testid={`peek-${pipe.id}`}
        y={18 * s}
        textAnchor="middle"
        fill={pipe.peek ? palette.flight : palette.muted}
        fontFamily={notRead ? palette.font : palette.mono}
        fontSize={(notRead ? 14 : 16) * s}
      >
        {peek}
      </text>
      <text y={42 * s} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={12.5 * s}>
        {pipeEndsText(pipe, t)}
      </text>
      <text y={outer + 32 * s} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={13 * s}>
        {t('slots', { slots, page: PAGE })}
      </text>
    </g>
  );
}
