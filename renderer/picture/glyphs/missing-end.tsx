import type { Palette } from '../palette';
import { clipToWidth } from '../text-fit';

interface Props {
  /** Left side and size of the box the end would take. */
  left: number;
  width: number;
  height: number;
  title: string;
  /** One line per "\n". */
  text: string;
  palette: Palette;
  s: number;
  testId: string;
}

/**
 * The side of a connection that has no socket of its own: a client's
 * connection still waiting in a listener's queue (accept() has not made the
 * other end yet), or an end the frame does not show. A dashed outline with
 * what the kernel says instead.
 */
export function MissingEnd({ left, width, height, title, text, palette, s, testId }: Props) {
  const lines = text.split('\n');
  const pad = 10;
  return (
    <g data-testid={testId} data-text={text.replace(/\n/g, ' ')}>
      <rect x={left} y={-height / 2 + 14} width={width} height={height - 28} rx={10} fill="none" stroke={palette.slotStroke} strokeDasharray="6 5" />
      <text x={left + width / 2} y={-18 - ((lines.length - 2) * 17 * s) / 2} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={12 * s} fontWeight={700}>
        {title}
      </text>
      {lines.map((line, i) => (
        <text key={i} x={left + width / 2} y={4 + (i - Math.max(0, lines.length - 2) / 2) * 17 * s} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={11.5 * s}>
          {clipToWidth(line, width - 2 * pad, 11.5 * s)}
        </text>
      ))}
    </g>
  );
}
