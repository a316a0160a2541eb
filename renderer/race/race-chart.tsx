/**
 * The IPC race chart: this run's numbers (LessonView.race), one row per
 * mechanism: throughput as a bar on a log scale, the round trip as a dot at
 * the median with a whisker to the 95th percentile (log scale too), the syscalls the loops
 * made per message (filled squares) and the payload's copies (hollow squares
 * through the kernel, a dashed one for the memcpy into shared memory), the times
 * the two processes slept waiting for each other (the kernel's count), and the
 * checksum both sides computed. A mechanism that cannot carry the size says
 * which limit refused it. The header says these numbers are this run's.
 */
import type { RaceMechanismId, RaceResult } from '../../native-bridge/model/race-types';
import type { StringKey, Translate } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { paletteFor, type Palette } from '../picture/palette';
import { useAppStore } from '../store/app-store';
import { selectLecture, selectTheme } from '../store/selectors';
import { BAR_WIDTH, BAR_X, CHART_WIDTH, COST_X, DOT_X, LABEL_WIDTH, raceChartModel, rateText, sizeText, usText, type RaceRow } from './race-chart-model';

const NAME_KEY: Record<RaceMechanismId, StringKey> = {
  pipe: 'raceMechPipe',
  fifo: 'raceMechFifo',
  unix: 'raceMechUnix',
  tcp: 'raceMechTcp',
  msgq: 'raceMechMsgq',
  shm: 'raceMechShm',
  mq: 'raceMechMq',
};

const TOP = 26;
const AXIS = 26;
const SQUARE = 9;

function Row({ row, y, height, palette, t }: { row: RaceRow; y: number; height: number; palette: Palette; t: Translate }) {
  const { entry } = row;
  const id = entry.mechanism;
  const fs = 13 * palette.scale;
  const small = 10 * palette.scale;
  const mid = y + height / 2;
  const barHeight = Math.min(22, height * 0.5);
  const calls = Math.round(entry.syscallsPerMessage);
  return (
    <g data-testid={`race-row-${id}`}>
      <text x={LABEL_WIDTH} y={mid - 2} textAnchor="end" fill={palette.text} fontSize={fs} fontFamily={palette.font} fontWeight={600}>
        {t(NAME_KEY[id])}
      </text>
      {entry.skipped === null && (
        <text x={LABEL_WIDTH} y={mid + small + 1} textAnchor="end" fill={row.checksumOk ? palette.running : palette.eof} fontSize={small} fontFamily={palette.mono} data-testid={`race-checksum-${id}`} data-ok={row.checksumOk}>
          <title>{row.checksumOk ? t('raceChecked', { sum: entry.checksumSent }) : t('raceMismatch', { sent: entry.checksumSent, received: entry.checksumReceived })}</title>
          {row.checksumOk ? `✓ ${entry.checksumSent}` : `✗ ${entry.checksumReceived}`}
        </text>
      )}
      {entry.skipped !== null ? (
        <text x={BAR_X} y={mid + fs / 3} fill={palette.muted} fontSize={fs * 0.9} fontFamily={palette.font} data-testid={`race-skipped-${id}`}>
          {t('raceSkipped', { limit: entry.skipped.limit, value: entry.skipped.value, errno: entry.skipped.refusedWith ?? '?' })}
        </text>
      ) : (
        <>
          <rect x={BAR_X} y={mid - barHeight / 2} width={Math.max(1, row.barWidth ?? 0)} height={barHeight} rx={3} fill={palette.slotFill} data-testid={`race-bar-${id}`} data-width={row.barWidth ?? 0} data-rate={entry.bytesPerSecond} />
          <text
            x={BAR_X + (row.barWidth ?? 0) + (row.barWidth! > BAR_WIDTH - 70 ? -4 : 4)}
            y={mid + fs / 3}
            textAnchor={row.barWidth! > BAR_WIDTH - 70 ? 'end' : 'start'}
            fill={row.barWidth! > BAR_WIDTH - 70 ? '#ffffff' : palette.text}
            fontSize={fs * 0.9}
            fontFamily={palette.font}
          >
            {rateText(entry.bytesPerSecond)}
          </text>
          <line x1={DOT_X + row.medianX!} x2={DOT_X + row.p95X!} y1={mid} y2={mid} stroke={palette.blocked} strokeWidth={2} />
          <line x1={DOT_X + row.p95X!} x2={DOT_X + row.p95X!} y1={mid - 5} y2={mid + 5} stroke={palette.blocked} strokeWidth={2} />
          <circle cx={DOT_X + row.medianX!} cy={mid} r={5} fill={palette.blocked} data-testid={`race-dot-${id}`} data-x={row.medianX} data-us={entry.rttMedianUs} />
          <text x={DOT_X + row.medianX!} y={mid - 8} textAnchor="middle" fill={palette.text} fontSize={small} fontFamily={palette.font}>
            {`${entry.rttMedianUs.toFixed(1)} µs`}
          </text>
          <g data-testid={`race-cost-${id}`} data-calls={entry.syscallsPerMessage} data-sleeps={entry.sleepsPerMessage} data-kernel-copies={entry.kernelCopies} data-user-copies={entry.userCopies}>
            {Array.from({ length: Math.min(calls, 8) }, (_, i) => (
              <rect key={`c${i}`} x={COST_X + i * (SQUARE + 3)} y={mid - SQUARE - 2} width={SQUARE} height={SQUARE} fill={palette.lessonAccent} />
            ))}
            {Array.from({ length: entry.kernelCopies }, (_, i) => (
              <rect key={`k${i}`} x={COST_X + i * (SQUARE + 3)} y={mid + 3} width={SQUARE} height={SQUARE} fill="none" stroke={palette.writeEdge} strokeWidth={1.5} />
            ))}
            {Array.from({ length: entry.userCopies }, (_, i) => (
              <rect key={`u${i}`} x={COST_X + i * (SQUARE + 3)} y={mid + 3} width={SQUARE} height={SQUARE} fill="none" stroke={palette.running} strokeWidth={1.5} strokeDasharray="2 2" />
            ))}
            <text x={COST_X + Math.min(calls, 8) * (SQUARE + 3) + 2} y={mid - 3} fill={palette.text} fontSize={small} fontFamily={palette.font}>
              {t('raceCalls', { calls: entry.syscallsPerMessage.toFixed(entry.syscallsPerMessage % 1 === 0 ? 0 : 2), sleeps: entry.sleepsPerMessage.toFixed(2) })}
            </text>
            <text x={COST_X + Math.max(entry.kernelCopies, entry.userCopies) * (SQUARE + 3) + 2} y={mid + SQUARE + 2} fill={palette.muted} fontSize={small} fontFamily={palette.font}>
              {entry.userCopies > 0 ? t('raceUserCopy') : t('raceKernelCopies', { n: entry.kernelCopies })}
            </text>
          </g>
        </>
      )}
    </g>
  );
}

export function RaceChartView({ result, palette, t }: { result: RaceResult; palette: Palette; t: Translate }) {
  const model = raceChartModel(result);
  const rowHeight = palette.scale > 1 ? 48 : 42;
  const height = TOP + rowHeight * Math.max(result.entries.length, 1) + AXIS;
  const fs = 12 * palette.scale;
  const small = 10 * palette.scale;
  const axisY = TOP + rowHeight * result.entries.length + 4;
  return (
    <div className="race-chart" data-testid="race-chart" style={{ background: palette.background, color: palette.text, fontSize: `${fs}px` }}>
      <div className="race-head">
        <strong>{t('raceTitle')}</strong>
        <span className="race-honesty" data-testid="race-honesty">
          {t('raceHonesty', { messages: result.messages, size: sizeText(result.size), rounds: result.rounds })}
        </span>
      </div>
      <svg viewBox={`0 0 ${CHART_WIDTH + 10} ${height}`} xmlns="http://www.w3.org/2000/svg" role="img" aria-label={t('raceTitle')} preserveAspectRatio="xMidYMin meet" style={{ width: '100%', flex: 1, minHeight: 0 }}>
        <text x={BAR_X} y={14} fill={palette.muted} fontSize={small} fontFamily={palette.font}>
          {t('raceThroughput')}
        </text>
        <text x={DOT_X} y={14} fill={palette.muted} fontSize={small} fontFamily={palette.font}>
          {t('raceLatency')}
        </text>
        <text x={COST_X} y={14} fill={palette.muted} fontSize={small} fontFamily={palette.font}>
          {t('raceCost')}
        </text>
        {model.throughputTicks.map((tick) => (
          <g key={`t${tick.bytesPerSecond}`}>
            <line x1={BAR_X + tick.x} x2={BAR_X + tick.x} y1={TOP - 4} y2={axisY} stroke={palette.slotStroke} strokeDasharray="2 3" />
            {/* the last decade's label ends at the column's edge, so it never meets the round-trip axis's first */}
            <text x={BAR_X + tick.x} y={axisY + small + 4} textAnchor={tick.x >= BAR_WIDTH - 1 ? 'end' : 'middle'} fill={palette.muted} fontSize={small} fontFamily={palette.font}>
              {rateText(tick.bytesPerSecond)}
            </text>
          </g>
        ))}
        {/* a busy machine can stretch the round trips over five decades: then every other decade is labelled */}
        {model.latencyTicks.map((tick, i) => (
          <g key={`l${tick.us}`}>
            <line x1={DOT_X + tick.x} x2={DOT_X + tick.x} y1={TOP - 4} y2={axisY} stroke={palette.slotStroke} strokeDasharray="2 3" />
            <text x={DOT_X + tick.x} y={axisY + small + 4} textAnchor={tick.x <= 1 ? 'start' : 'middle'} fill={palette.muted} fontSize={small} fontFamily={palette.font}>
              {model.latencyTicks.length > 3 && i % 2 === 1 ? '' : usText(tick.us)}
            </text>
          </g>
        ))}
        {model.rows.map((row, i) => (
          <Row key={row.entry.mechanism} row={row} y={TOP + i * rowHeight} height={rowHeight} palette={palette} t={t} />
        ))}
      </svg>
    </div>
  );
}

/** The chart of the race lesson's results in this frame, in the app's theme and type size. */
export function RaceChart() {
  const t = useT();
  const result = useAppStore((s) => s.frame?.lesson?.race ?? null);
  const theme = useAppStore(selectTheme);
  const lecture = useAppStore(selectLecture);
  if (!result) return null;
  return <RaceChartView result={result} palette={paletteFor(theme, lecture)} t={t} />;
}

/** Whether this frame's lesson has race numbers to chart. */
export function selectHasRace(s: { frame: { lesson: { race?: RaceResult | null } | null } | null }): boolean {
  return (s.frame?.lesson?.race?.entries.length ?? 0) > 0;
}

/**
 * The chart takes the picture's place once the race has numbers: when the
 * user picks "Chart" in the header switch, or by itself while no step is in
 * the kernel (the processes are drawn while they race). Picking Picture or
 * Map shows the processes again.
 */
export function selectRaceShown(s: {
  stageView?: 'auto' | 'picture' | 'map' | 'chart';
  frame: { lesson: { race?: RaceResult | null; steps: { status: string }[] } | null } | null;
}): boolean {
  if (!selectHasRace(s)) return false;
  const view = s.stageView ?? 'auto';
  if (view === 'chart') return true;
  return view === 'auto' && !s.frame!.lesson!.steps.some((step) => step.status === 'running' || step.status === 'blocked');
}
