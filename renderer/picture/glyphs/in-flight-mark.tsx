/**
 * Descriptors in flight in a Unix socket's receive queue (SCM_RIGHTS, sent and
 * not yet received): a tag at the end of the queue and a caption line. The
 * count is the kernel's (fdinfo `scm_fds`); which files they are it does not
 * say, and neither does the picture (the tag's tooltip says so).
 */
import type { UnixSocketObject } from '../../../native-bridge/model/snapshot-types';
import type { Translate } from '../../i18n/strings';
import type { Palette } from '../palette';
import { clipToWidth, estimateWidth } from '../text-fit';

interface Props {
  o: UnixSocketObject;
  /** The queue bar: left edge, top, width and height. */
  left: number;
  top: number;
  width: number;
  height: number;
  /** Caption line under the bar (0-based, 15 px apart). */
  line: number;
  palette: Palette;
  t: Translate;
  s: number;
}

export function InFlightMark({ o, left, top, width, height, line, palette, t, s }: Props) {
  const n = o.inFlightFds ?? 0;
  if (n <= 0) return null;
  const font = 12 * s;
  const tag = t('inFlightTag', { n });
  const tagW = estimateWidth(tag, font, true) + 14;
  const x = left + width - tagW - 4;
  return (
    <g data-testid={`in-flight-${o.id}`} data-fds={n}>
      <title>{t('inFlightWhich', { n })}</title>
      <rect x={x} y={top + 5} width={tagW} height={height - 10} rx={5} fill={palette.node} stroke={palette.lessonAccent} strokeWidth={2} />
      <text x={x + tagW / 2} y={top + height / 2 + 4} textAnchor="middle" fill={palette.lessonAccent} fontFamily={palette.mono} fontSize={font} fontWeight={700}>
        {tag}
      </text>
      <text x={left} y={top + height + 16 + line * 15} fill={palette.lessonAccent} fontFamily={palette.font} fontSize={12 * s} fontWeight={600}>
        {clipToWidth(t('inFlightFds', { n }), width, 12 * s)}
      </text>
    </g>
  );
}
