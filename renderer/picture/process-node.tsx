import { blockedSentence, stateWord } from '../format/kernel-words';
import type { Translate } from '../i18n/strings';
import { NODE_HEIGHT, NODE_WIDTH, type PlacedProcess } from './layout';
import type { Palette } from './palette';

interface Props {
  placed: PlacedProcess;
  palette: Palette;
  t: Translate;
  selected: boolean;
  /** The process's latest syscall as the log writes it (e.g. "read(3, 64) = 0  EOF"). */
  lastCall: string | null;
  lastCallIsEof: boolean;
  /** Descriptors that are not lesson objects (stdio, control socket), drawn when "show all" is on. */
  otherFds: { fd: number; access: string; target: string }[];
  onSelect(id: string): void;
}

const LINE = 19;

export function ProcessNode({ placed, palette, t, selected, lastCall, lastCallIsEof, otherFds, onSelect }: Props) {
  const { pid, role, process, x, y } = placed;
  const s = palette.scale;
  const blocked = process?.blocked ?? null;
  const height = NODE_HEIGHT + otherFds.length * LINE;
  const left = -NODE_WIDTH / 2 + 16;
  const stroke = blocked ? palette.blocked : selected ? palette.lessonAccent : palette.nodeStroke;
  return (
    <g
      data-testid={`process-${pid}`}
      data-state={process?.state ?? 'gone'}
      data-blocked={blocked ? 'true' : 'false'}
      transform={`translate(${x},${y})`}
      onClick={() => onSelect(`process:${pid}`)}
      style={{ cursor: 'pointer' }}
      opacity={process ? 1 : 0.45}
    >
      <rect
        x={-NODE_WIDTH / 2}
        y={-NODE_HEIGHT / 2}
        width={NODE_WIDTH}
        height={height}
        rx={14}
        fill={palette.node}
        stroke={stroke}
        strokeWidth={blocked || selected ? 3 : 1.5}
        strokeDasharray={process ? undefined : '6 5'}
      >
        {blocked && <animate attributeName="stroke-opacity" values="1;0.25;1" dur="1.4s" repeatCount="indefinite" />}
      </rect>
      <text x={left} y={-NODE_HEIGHT / 2 + 28 * s} fill={palette.text} fontFamily={palette.font} fontSize={19 * s} fontWeight={700}>
        {role ?? process?.comm ?? '?'}
      </text>
      <text x={NODE_WIDTH / 2 - 16} y={-NODE_HEIGHT / 2 + 28 * s} textAnchor="end" fill={palette.muted} fontFamily={palette.mono} fontSize={14 * s}>
        PID {pid}
      </text>
      <g transform={`translate(0,${-NODE_HEIGHT / 2 + 52 * s})`}>
        <circle cx={left + 5} cy={-5} r={5} fill={!process ? palette.muted : blocked ? palette.blocked : process.state === 'R' ? palette.running : palette.muted} />
        <text x={left + 16} fill={palette.muted} fontFamily={palette.font} fontSize={13 * s}>
          {process ? `${process.comm} · ${stateWord(process, t)} (${process.state})` : t('processExited')}
        </text>
      </g>
      {blocked && (
        <g transform={`translate(0,${-NODE_HEIGHT / 2 + 80 * s})`}>
          <text x={left} fill={palette.blocked} fontFamily={palette.font} fontSize={14 * s} fontWeight={600} data-testid={`blocked-${pid}`}>
            ⏳ {blockedSentence(blocked, t)}
          </text>
          <text x={left + 20} y={17 * s} fill={palette.muted} fontFamily={palette.mono} fontSize={11 * s} data-testid={`wchan-${pid}`}>
            {t('wchan', { wchan: blocked.wchan })}
          </text>
        </g>
      )}
      {lastCall && (
        <text
          x={left}
          y={NODE_HEIGHT / 2 - 14}
          fill={lastCallIsEof ? palette.eof : palette.text}
          fontFamily={palette.mono}
          fontSize={12.5 * s}
          fontWeight={lastCallIsEof ? 700 : 400}
          data-testid={`last-call-${pid}`}
        >
          {lastCall}
        </text>
      )}
      {otherFds.map((fd, i) => (
        <text key={fd.fd} x={left} y={NODE_HEIGHT / 2 + 8 + i * LINE} fill={palette.muted} fontFamily={palette.mono} fontSize={11.5 * s} data-testid={`fd-${pid}-${fd.fd}`}>
          {`fd ${fd.fd} ${fd.access.padEnd(2)} ${fd.target}`}
        </text>
      ))}
    </g>
  );
}
