import { HourglassGlyph } from '../controls/icons';
import { blockedCall, blockedSentence, stateWord } from '../format/kernel-words';
import type { Translate } from '../i18n/strings';
import { fdCount } from '../format/omitted-words';
import { BADGE_MAX_WIDTH, MAX_FD_LINES, NODE_HEIGHT, NODE_WIDTH, type PlacedProcess } from './layout';
import { clipToWidth, estimateWidth } from './text-fit';
import type { Palette } from './palette';

interface Props {
  placed: PlacedProcess;
  palette: Palette;
  t: Translate;
  selected: boolean;
  /** The process's latest syscall as the log writes it (e.g. "read(3, 64) = 0  EOF"). */
  lastCall: string | null;
  lastCallIsEof: boolean;
  /**
   * The process sleeps on an object the picture shows (a lesson's pipe): drawn
   * loud. A sleep elsewhere (the actor's poll() between steps) is drawn quiet.
   */
  waitsOnShownObject: boolean;
  /** A lesson process with no step in flight: its sleep is ipcscope's own loop waiting for the next step. */
  betweenSteps: boolean;
  /** The engine lists the role in LessonView.idleRoles: it waits for ipcscope's next command. */
  pausedByIpcscope: boolean;
  onSelect(id: string): void;
}

const FD_LINE = 19;
/** Room for text inside a node, left padding to right padding. */
const INNER = NODE_WIDTH - 36;

/** "paused by ipcscope between steps", then the call and wchan the kernel shows, small. */
function PausedLabel({ placed, palette, t }: { placed: PlacedProcess; palette: Palette; t: Translate }) {
  const s = palette.scale;
  const blocked = placed.process?.blocked ?? null;
  const detail = blocked ? t('idleIn', { call: blockedCall(blocked), wchan: blocked.wchan }) : '';
  return (
    <g transform={`translate(0,${NODE_HEIGHT / 2 + 12 + 16 * s})`}>
      <text textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={13 * s} fontStyle="italic" data-testid={`blocked-${placed.pid}`}>
        {clipToWidth(t('pausedByIpcscope'), NODE_WIDTH, 13 * s)}
      </text>
      {blocked && (
        <text y={17 * s} textAnchor="middle" fill={palette.muted} fontFamily={palette.mono} fontSize={11.5 * s} data-testid={`wchan-${placed.pid}`}>
          {clipToWidth(detail, NODE_WIDTH, 11.5 * s, true)}
        </text>
      )}
    </g>
  );
}

function BlockedBadge({ placed, palette, t, loud, betweenSteps }: { placed: PlacedProcess; palette: Palette; t: Translate; loud: boolean; betweenSteps: boolean }) {
  const blocked = placed.process!.blocked!;
  const s = palette.scale;
  const top = NODE_HEIGHT / 2 + 12;
  if (!loud) {
    return (
      <g transform={`translate(0,${top + 16 * s})`}>
        <text textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={13 * s} data-testid={`blocked-${placed.pid}`}>
          {t(betweenSteps ? 'betweenSteps' : 'waitingIn', { call: blockedCall(blocked) })}
        </text>
        <text y={17 * s} textAnchor="middle" fill={palette.muted} fontFamily={palette.mono} fontSize={11.5 * s} data-testid={`wchan-${placed.pid}`}>
          {t('wchan', { wchan: blocked.wchan })}
        </text>
      </g>
    );
  }
  const sentence = blockedSentence(blocked, t);
  const fontSize = 15.5 * s;
  const textWidth = estimateWidth(sentence, fontSize) * 1.06; /* bold */
  // Never wider than the gap between the node's outer edge and the ring: the badge must not cover the pipe.
  const width = Math.min(BADGE_MAX_WIDTH, Math.max(NODE_WIDTH, textWidth + 56 * s));
  const room = width - 52 * s;
  const height = 52 * s;
  // A badge wider than its node grows toward the middle of the picture, never off its edge.
  const shift = placed.side === 'left' ? (width - NODE_WIDTH) / 2 : -(width - NODE_WIDTH) / 2;
  return (
    <g transform={`translate(${shift},${top})`}>
      <rect x={-width / 2} y={0} width={width} height={height} rx={10} fill={palette.node} stroke={palette.blocked} strokeWidth={2} />
      <HourglassGlyph x={-width / 2 + 12} y={height / 2 - 11 * s} size={22 * s} color={palette.blocked} />
      <text
        x={-width / 2 + 42 * s}
        y={21 * s}
        fill={palette.blocked}
        fontFamily={palette.font}
        fontSize={fontSize}
        fontWeight={700}
        data-testid={`blocked-${placed.pid}`}
        // A long sentence (a long path, Chinese) is narrowed to fit rather than spill onto the ring.
        textLength={textWidth > room ? room : undefined}
        lengthAdjust={textWidth > room ? 'spacingAndGlyphs' : undefined}
      >
        {sentence}
      </text>
      <text x={-width / 2 + 42 * s} y={40 * s} fill={palette.muted} fontFamily={palette.mono} fontSize={12 * s} data-testid={`wchan-${placed.pid}`}>
        {t('wchan', { wchan: blocked.wchan })}
      </text>
    </g>
  );
}

export function ProcessNode({ placed, palette, t, selected, lastCall, lastCallIsEof, waitsOnShownObject, betweenSteps, pausedByIpcscope, onSelect }: Props) {
  const { pid, role, process, x, y, otherFds } = placed;
  // descriptors the wire did not send (native-bridge/model/wire-frame.ts): counted, not listed
  const notSent = otherFds.length > 0 && process ? fdCount(process) - process.fds.length : 0;
  const s = palette.scale;
  const blocked = process?.blocked ?? null;
  const loud = !!blocked && waitsOnShownObject;
  const left = -NODE_WIDTH / 2 + 18;
  const top = -NODE_HEIGHT / 2;
  const stroke = loud ? palette.blocked : selected ? palette.lessonAccent : palette.nodeStroke;
  const dot = !process ? palette.muted : loud ? palette.blocked : process.state === 'R' ? palette.running : palette.muted;
  const fdTop = NODE_HEIGHT / 2 + (blocked ? 86 : 24) * s;
  return (
    <g
      data-testid={`process-${pid}`}
      data-state={process?.state ?? 'gone'}
      data-blocked={blocked ? 'true' : 'false'}
      data-waits-on={blocked?.object ?? ''}
      transform={`translate(${x},${y})`}
      onClick={() => onSelect(`process:${pid}`)}
      style={{ cursor: 'pointer' }}
      opacity={process ? 1 : 0.45}
    >
      <rect
        x={-NODE_WIDTH / 2}
        y={top}
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={14}
        fill={palette.node}
        stroke={stroke}
        strokeWidth={loud || selected ? 3 : 1.5}
        strokeDasharray={process ? undefined : '6 5'}
      >
        {loud && <animate attributeName="stroke-opacity" values="1;0.2;1" dur="1.4s" repeatCount="indefinite" />}
      </rect>
      <text x={left} y={top + 32 * s} fill={palette.text} fontFamily={palette.font} fontSize={22 * s} fontWeight={700}>
        {clipToWidth(role ?? process?.comm ?? '?', INNER - estimateWidth(`PID ${pid}`, 15 * s, true) - 10, 22 * s)}
      </text>
      <text x={NODE_WIDTH / 2 - 18} y={top + 32 * s} textAnchor="end" fill={palette.muted} fontFamily={palette.mono} fontSize={15 * s}>
        PID {pid}
      </text>
      <circle cx={left + 5} cy={top + 55 * s} r={5} fill={dot} />
      <text x={left + 17} y={top + 60 * s} fill={palette.muted} fontFamily={palette.font} fontSize={14 * s}>
        {clipToWidth(process ? `${process.comm} · ${stateWord(process, t)} (${process.state})` : t('processExited'), INNER - 17, 14 * s)}
      </text>
      {lastCall && (
        <text
          x={left}
          y={NODE_HEIGHT / 2 - 18}
          fill={lastCallIsEof ? palette.eof : palette.text}
          fontFamily={palette.mono}
          fontSize={14 * s}
          fontWeight={lastCallIsEof ? 700 : 400}
          data-testid={`last-call-${pid}`}
        >
          {clipToWidth(lastCall, INNER, 14 * s, true)}
        </text>
      )}
      {pausedByIpcscope && !loud ? (
        <PausedLabel placed={placed} palette={palette} t={t} />
      ) : (
        blocked && <BlockedBadge placed={placed} palette={palette} t={t} loud={loud} betweenSteps={betweenSteps} />
      )}
      {otherFds.length + notSent > MAX_FD_LINES && (
        <text x={left} y={fdTop + Math.min(otherFds.length, MAX_FD_LINES) * FD_LINE * s} fill={palette.muted} fontFamily={palette.font} fontSize={12 * s} fontStyle="italic">
          {t('moreFds', { count: otherFds.length + notSent - Math.min(otherFds.length, MAX_FD_LINES) })}
        </text>
      )}
      {otherFds.slice(0, MAX_FD_LINES).map((fd, i) => (
        <text key={fd.fd} x={left} y={fdTop + i * FD_LINE * s} fill={palette.muted} fontFamily={palette.mono} fontSize={12 * s} data-testid={`fd-${pid}-${fd.fd}`}>
          {clipToWidth(`fd ${fd.fd} ${fd.access.padEnd(2)} ${fd.target}`, INNER, 12 * s, true)}
        </text>
      ))}
    </g>
  );
}
