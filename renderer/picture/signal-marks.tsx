import type { SignalSet } from '../../native-bridge/model/snapshot-types';
import type { StringKey, Translate } from '../i18n/strings';
import { NODE_HEIGHT, NODE_WIDTH, type PlacedProcess } from './layout';
import type { Palette } from './palette';
import { estimateWidth } from './text-fit';

/**
 * A process's signal masks as /proc/PID/status gives them, drawn as marks
 * above its node: one row each for pending on the thread (SigPnd), pending
 * on the whole process (ShdPnd), blocked (SigBlk) and caught (SigCgt). A
 * blocked signal that arrives stays in a pending row until it is unblocked.
 */
export const MARK_ROWS: readonly {
  mask: keyof SignalSet;
  label: StringKey;
  testId: string;
}[] = [
  { mask: 'pending', label: 'sigPendingThread', testId: 'pending' },
  { mask: 'sharedPending', label: 'sigPendingProcess', testId: 'shared' },
  { mask: 'blocked', label: 'sigBlocked', testId: 'blocked' },
  { mask: 'caught', label: 'sigCaught', testId: 'caught' },
];

const ROW = 18;
const LABEL_FONT = 11;
/** Widest a block of marks may be: from a node's outer edge toward the middle, short of the object column. */
export const MARKS_WIDTH = 372;
const CHIP_FONT = 11.5;

/** "SIGUSR1" -> "USR1": the marks are small; the details panel names them in full. */
export function shortSignal(name: string): string {
  return name.startsWith('SIG') ? name.slice(3) : name;
}

/** Marks are drawn in a signal lesson, and anywhere a process has a signal pending (always worth seeing). */
export function marksWanted(lessonId: string | null, signals: SignalSet | undefined): boolean {
  if (!signals) return false;
  if (lessonId !== null && lessonId.startsWith('signal')) return true;
  return signals.pending.length > 0 || signals.sharedPending.length > 0;
}

/** Where a node's marks go: x of their left edge, y of the lowest row's baseline, their width and their label column's (sized to the longest label in the current language). */
export function marksGeometry(placed: PlacedProcess, scale: number, t: Translate): { x: number; y: number; width: number; labelWidth: number } {
  const width = MARKS_WIDTH;
  const x = placed.side === 'left' ? placed.x - NODE_WIDTH / 2 : placed.x + NODE_WIDTH / 2 - width;
  const labelWidth = Math.max(...MARK_ROWS.map((row) => estimateWidth(t(row.label), LABEL_FONT * scale))) + 10 * scale;
  return { x, y: placed.y - NODE_HEIGHT / 2 - 6 * scale, width, labelWidth };
}

/** Where a signal lands on a node: at the start of its "pending (process)" row, where a held signal shows. */
export function marksAnchor(placed: PlacedProcess, scale: number, t: Translate): { x: number; y: number } {
  const g = marksGeometry(placed, scale, t);
  return {
    x: g.x + g.labelWidth + 24 * scale,
    y: g.y - 2 * ROW * scale - 4 * scale,
  };
}

/** The chips that fit in `room`; the rest are counted as "+N". */
export function fitChips(names: readonly string[], room: number, fontSize: number): { shown: string[]; more: number } {
  const shown: string[] = [];
  let used = 0;
  for (const [i, name] of names.entries()) {
    const width = chipWidth(shortSignal(name), fontSize) + 4;
    const moreRoom = i < names.length - 1 ? estimateWidth(`+${names.length - i}`, fontSize, true) + 6 : 0;
    if (used + width + moreRoom > room) return { shown, more: names.length - i };
    shown.push(name);
    used += width;
  }
  return { shown, more: 0 };
}

function chipWidth(label: string, fontSize: number): number {
  return estimateWidth(label, fontSize, true) + 10;
}

interface Props {
  placed: PlacedProcess;
  signals: SignalSet;
  palette: Palette;
  t: Translate;
}

export function SignalMarks({ placed, signals, palette, t }: Props) {
  const s = palette.scale;
  const origin = marksGeometry(placed, s, t);
  const fontSize = CHIP_FONT * s;
  const labelWidth = origin.labelWidth;
  return (
    <g data-testid={`signal-marks-${placed.pid}`} transform={`translate(${origin.x},${origin.y})`}>
      {MARK_ROWS.map(({ mask, label, testId }, row) => {
        const y = -(MARK_ROWS.length - 1 - row) * ROW * s;
        const names = signals[mask];
        const pending = mask === 'pending' || mask === 'sharedPending';
        const { shown, more } = fitChips(names, origin.width - labelWidth, fontSize);
        let x = labelWidth;
        return (
          <g key={mask} data-testid={`signal-${testId}-${placed.pid}`} data-signals={names.join(' ')}>
            <text x={0} y={y} fill={pending && names.length > 0 ? palette.blocked : palette.muted} fontFamily={palette.font} fontSize={LABEL_FONT * s}>
              {t(label)}
            </text>
            {names.length === 0 && (
              <text x={labelWidth} y={y} fill={palette.muted} fontFamily={palette.mono} fontSize={fontSize}>
                {t('sigNone')}
              </text>
            )}
            {shown.map((name) => {
              const short = shortSignal(name);
              const width = chipWidth(short, fontSize);
              const chipX = x;
              x += width + 4;
              const fill = pending ? palette.blocked : 'none';
              const stroke = pending ? palette.blocked : mask === 'caught' ? palette.running : palette.muted;
              const color = pending ? palette.flightText : mask === 'caught' ? palette.running : palette.text;
              return (
                <g key={name} data-testid={`signal-chip-${testId}-${placed.pid}-${name}`}>
                  <rect
                    x={chipX}
                    y={y - fontSize + 1}
                    width={width}
                    height={fontSize + 4}
                    rx={4}
                    fill={fill}
                    stroke={stroke}
                    strokeWidth={1.2}
                    strokeDasharray={mask === 'blocked' ? '3 2' : undefined}
                  />
                  <text
                    x={chipX + width / 2}
                    y={y}
                    textAnchor="middle"
                    fill={color}
                    fontFamily={palette.mono}
                    fontSize={fontSize}
                    fontWeight={pending ? 700 : 400}
                  >
                    {short}
                  </text>
                </g>
              );
            })}
            {more > 0 && (
              <text x={x} y={y} fill={palette.muted} fontFamily={palette.mono} fontSize={fontSize}>
                {t('sigMore', { n: more })}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
}
