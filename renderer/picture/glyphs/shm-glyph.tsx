import type { ShmObject } from '../../../native-bridge/model/snapshot-types';
import { decodeBase64, escapeBytes } from '../../format/bytes-text';
import { objectLabel } from '../../format/kernel-words';
import { NODE_WIDTH, RING_RADIUS } from '../layout';
import type { GlyphProps } from './glyph-props';
import { clipToWidth } from '../text-fit';

/* System V segments are mapped in whole pages (PAGE_SIZE 4096 on x86_64): a 4000-byte segment takes one page */
export const SHM_PAGE = 4096;
/** Pages drawn one by one; a bigger segment is drawn as this many with the count printed. */
const MAX_DRAWN_PAGES = 8;
const BLOCK_WIDTH = 236;
const BLOCK_TOP = -84;
const BLOCK_MAX_HEIGHT = 150;
const PEEK_CHARS = 26;
const BLOCK_LEFT = -BLOCK_WIDTH / 2 - 24;
const NATTCH_R = 25;
const NATTCH_X = BLOCK_LEFT + BLOCK_WIDTH + 34;
const NATTCH_Y = BLOCK_TOP + 36;
/* the column between the two rows of process nodes is about 500 px wide */
const TEXT_WIDTH = RING_RADIUS * 2.8;

/** A process that attaches the segment, where the picture placed it. */
export interface ShmAttacher {
  pid: number;
  x: number;
  y: number;
  side: 'left' | 'right';
}

interface Props extends GlyphProps {
  shm: ShmObject;
  /** Placed processes among shm.attached (/proc/PID/maps), drawn with a line to the block. */
  attachers: ShmAttacher[];
}

export const shmPages = (size: number): number => Math.max(1, Math.ceil(size / SHM_PAGE));

/** "0x41010a2b"; the kernel shows a removed segment's key as 0. */
export const shmKeyHex = (key: number): string => `0x${(key >>> 0).toString(16).padStart(8, '0')}`;

/** How much of each drawn page the segment's bytes cover (0..1); the rest of the last page is the rounding. */
export function pageCover(size: number, page: number, pages: number): number {
  if (pages > MAX_DRAWN_PAGES) return page < MAX_DRAWN_PAGES - 1 ? 1 : (size - (pages - 1) * SHM_PAGE) / SHM_PAGE;
  return Math.max(0, Math.min(1, (size - page * SHM_PAGE) / SHM_PAGE));
}

/** The first bytes up to the last non-zero one (a fresh segment is zero-filled), escaped; null when all are zero. */
export function shmContent(bytes: Uint8Array): string | null {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end -= 1;
  if (end === 0) return null;
  const text = escapeBytes(bytes.subarray(0, end));
  return text.length > PEEK_CHARS ? `${text.slice(0, PEEK_CHARS - 1)}…` : text;
}

/** The shared-memory segment: its pages, key and id, nattch, creator and last user, its first bytes, and a line to each attached process. */
export function ShmGlyph({ shm, attachers, x, y, palette, t, selected, onSelect }: Props) {
  const s = Math.min(palette.scale, 1.1);
  const pages = shmPages(shm.size);
  const drawn = Math.min(pages, MAX_DRAWN_PAGES);
  const pageHeight = Math.min(60, BLOCK_MAX_HEIGHT / drawn);
  const blockHeight = pageHeight * drawn;
  const left = BLOCK_LEFT;
  const mid = BLOCK_TOP + blockHeight / 2;
  const below = BLOCK_TOP + blockHeight;
  const dest = shm.markedForDeletion;
  const content = shm.peek == null ? null : shmContent(decodeBase64(shm.peek)) ?? t('shmEmpty');
  const outline = dest ? palette.eof : selected ? palette.lessonAccent : palette.nodeStroke;
  return (
    <g data-testid={`object-${shm.id}`} data-kind="shm" transform={`translate(${x},${y})`} onClick={() => onSelect(shm.id)} style={{ cursor: 'pointer' }}>
      {attachers.map((a) => {
        const nodeX = a.x - x + (a.side === 'left' ? NODE_WIDTH / 2 : -NODE_WIDTH / 2);
        const nodeY = a.y - y;
        // a line from the right lands on the nattch counter, which sits on the block's right side
        const [edgeX, edgeY] = a.side === 'left' ? [left, mid] : [NATTCH_X + NATTCH_R, NATTCH_Y];
        return (
          <g key={a.pid} data-testid={`shm-attach-${shm.id}-${a.pid}`}>
            <line x1={nodeX} y1={nodeY} x2={edgeX} y2={edgeY} stroke={palette.slotFill} strokeWidth={2.5} strokeDasharray="7 5" />
          </g>
        );
      })}
      <text data-testid={`shm-title-${shm.id}`} x={0} y={-120} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={18 * s} fontWeight={700}>
        {objectLabel(shm.id)}
      </text>
      <text data-testid={`shm-key-${shm.id}`} x={0} y={-97} textAnchor="middle" fill={palette.muted} fontFamily={palette.mono} fontSize={13.5 * s}>
        {shm.key === 0 ? t('shmKeyPrivate') : t('shmKey', { key: shmKeyHex(shm.key) })}
      </text>
      <g data-testid={`shm-pages-${shm.id}`} data-pages={pages}>
        {Array.from({ length: drawn }, (_, page) => {
          const cover = pageCover(shm.size, page, pages);
          const top = BLOCK_TOP + page * pageHeight;
          return (
            <g key={page}>
              <rect x={left} y={top} width={BLOCK_WIDTH} height={pageHeight} fill={palette.slotEmpty} stroke={palette.slotStroke} strokeWidth={1} />
              <rect data-testid={`shm-page-${shm.id}-${page}`} data-cover={cover.toFixed(4)} x={left} y={top} width={BLOCK_WIDTH * cover} height={pageHeight} fill={palette.slotFill} opacity={0.35} />
            </g>
          );
        })}
        <rect x={left} y={BLOCK_TOP} width={BLOCK_WIDTH} height={blockHeight} fill="none" stroke={outline} strokeWidth={selected || dest ? 3 : 1.5} strokeDasharray={dest ? '8 5' : undefined} rx={4} />
      </g>
      {content !== null && (
        <text data-testid={`shm-peek-${shm.id}`} x={left + 8} y={BLOCK_TOP + Math.min(pageHeight, 40) / 2 + 6} fill={palette.text} fontFamily={palette.mono} fontSize={14 * s} fontWeight={600}>
          {content}
        </text>
      )}
      <g data-testid={`shm-nattch-${shm.id}`} data-nattch={shm.nattch} transform={`translate(${NATTCH_X},${NATTCH_Y})`}>
        <circle r={NATTCH_R} fill={palette.node} stroke={shm.nattch > 0 ? palette.running : palette.muted} strokeWidth={2.5} />
        <text y={8} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={22 * s} fontWeight={700}>
          {shm.nattch}
        </text>
        <text y={-32} textAnchor="middle" fill={palette.muted} fontFamily={palette.mono} fontSize={12 * s}>
          nattch
        </text>
      </g>
      <text data-testid={`shm-size-${shm.id}`} x={0} y={below + 24} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={14 * s}>
        {clipToWidth(t('shmSize', { size: shm.size, pages }), TEXT_WIDTH, 14 * s)}
      </text>
      <text data-testid={`shm-pids-${shm.id}`} x={0} y={below + 46} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={13 * s}>
        {/* lpid 0: no shmat/shmdt yet */}
        {clipToWidth(t(shm.lpid === 0 ? 'shmPidsUnused' : 'shmPids', { cpid: shm.cpid, lpid: shm.lpid }), TEXT_WIDTH, 13 * s)}
      </text>
      {attachers.map((a, i) => (
        <text
          key={a.pid}
          data-testid={`shm-at-${shm.id}-${a.pid}`}
          x={0}
          y={below + 68 + i * 18}
          textAnchor="middle"
          fill={palette.slotFill}
          fontFamily={palette.mono}
          fontSize={12.5 * s}
        >
          {clipToWidth(
            shm.mappedAt?.[String(a.pid)] ? t('shmAttachedAt', { pid: a.pid, address: shm.mappedAt[String(a.pid)]! }) : t('shmAttached', { pid: a.pid }),
            TEXT_WIDTH,
            12.5 * s,
            true,
          )}
        </text>
      ))}
      {dest && (
        <g data-testid={`shm-dest-${shm.id}`} fill={palette.eof} fontFamily={palette.font} fontSize={12.5 * s} textAnchor="middle">
          <text x={0} y={below + 76 + attachers.length * 18} fontWeight={700}>
            {clipToWidth(t('shmMarked'), TEXT_WIDTH, 12.5 * s)}
          </text>
          <text x={0} y={below + 94 + attachers.length * 18}>
            {clipToWidth(t('shmMarkedWhen'), TEXT_WIDTH, 12.5 * s)}
          </text>
        </g>
      )}
    </g>
  );
}
