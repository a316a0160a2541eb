import type { MappedFileObject } from '../../../native-bridge/model/snapshot-types';
import { decodeBase64 } from '../../format/bytes-text';
import { RING_RADIUS } from '../layout';
import type { GlyphProps } from './glyph-props';
import { shmContent, shmPages } from './shm-glyph';
import { clipToWidth } from '../text-fit';

/* the file drawn as a sheet with a folded corner */
const SHEET_W = 220;
const SHEET_TOP = -86;
const SHEET_H = 92;
const FOLD = 20;
const COUNT_R = 23;
const COUNT_X = SHEET_W / 2 + 40;
const COUNT_Y = SHEET_TOP + 34;
/* the column between the two rows of process nodes is about 500 px wide */
const TEXT_WIDTH = RING_RADIUS * 2.8;
/** Mapping lines drawn; more are counted in the last one. */
const MAX_RANGES = 4;

interface Props extends GlyphProps {
  file: MappedFileObject;
}

/** "/tmp/d/shared.dat (deleted)" -> "shared.dat (deleted)". */
export const fileName = (path: string): string => path.slice(path.lastIndexOf('/', path.endsWith(' (deleted)') ? path.length - 11 : path.length) + 1);

/** Bytes in a maps range ("7f84f37ad000" to "7f84f37ae000": 4096). */
export const rangeLength = (m: { start: string; end: string }): string => (BigInt(`0x${m.end}`) - BigInt(`0x${m.start}`)).toString();

/** A file mapped MAP_SHARED: its name, inode and size, its first bytes live (the shared page cache), how many map it, and each process's range from /proc/PID/maps. */
export function MappedFileGlyph({ file, x, y, palette, t, selected, onSelect }: Props) {
  const s = Math.min(palette.scale, 1.1);
  const id = file.id;
  const content = file.peek == null ? null : (shmContent(decodeBase64(file.peek)) ?? t('mmapEmpty'));
  const pages = file.size === null ? null : shmPages(file.size);
  const below = SHEET_TOP + SHEET_H;
  const left = -SHEET_W / 2;
  const right = SHEET_W / 2;
  const shown = file.mappings.slice(0, MAX_RANGES);
  return (
    <g data-testid={`object-${id}`} data-kind="mmap" transform={`translate(${x},${y})`} onClick={() => onSelect(id)} style={{ cursor: 'pointer' }}>
      <text data-testid={`mmap-title-${id}`} x={0} y={-124} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={18 * s} fontWeight={700}>
        {clipToWidth(fileName(file.path), TEXT_WIDTH, 18 * s)}
      </text>
      <text data-testid={`mmap-file-${id}`} x={0} y={-102} textAnchor="middle" fill={palette.muted} fontFamily={palette.mono} fontSize={13 * s}>
        {file.size === null ? t('mmapFileNoSize', { inode: file.inode }) : t('mmapFile', { inode: file.inode, size: file.size })}
      </text>
      <path
        d={`M${left},${SHEET_TOP} H${right - FOLD} L${right},${SHEET_TOP + FOLD} V${below} H${left} Z`}
        fill={palette.slotEmpty}
        stroke={selected ? palette.lessonAccent : palette.nodeStroke}
        strokeWidth={selected ? 3 : 1.5}
      />
      <path d={`M${right - FOLD},${SHEET_TOP} V${SHEET_TOP + FOLD} H${right}`} fill="none" stroke={palette.nodeStroke} strokeWidth={1.2} />
      {content !== null && (
        <text data-testid={`mmap-peek-${id}`} x={left + 10} y={SHEET_TOP + 36} fill={palette.text} fontFamily={palette.mono} fontSize={14 * s} fontWeight={600}>
          {content}
        </text>
      )}
      {pages !== null && (
        <text data-testid={`mmap-pages-${id}`} data-pages={pages} x={left + 10} y={SHEET_TOP + 70} fill={palette.muted} fontFamily={palette.font} fontSize={12 * s}>
          {clipToWidth(t('mmapPages', { pages }), SHEET_W - 20, 12 * s)}
        </text>
      )}
      <g data-testid={`mmap-count-${id}`} data-attached={file.attached.length} transform={`translate(${COUNT_X},${COUNT_Y})`}>
        <circle r={COUNT_R} fill={palette.node} stroke={file.attached.length > 0 ? palette.running : palette.muted} strokeWidth={2.5} />
        <text y={8} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={21 * s} fontWeight={700}>
          {file.attached.length}
        </text>
        <text y={-30} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={12 * s}>
          {t('mmapMappedBy')}
        </text>
      </g>
      {shown.length === 0 && (
        <text data-testid={`mmap-nobody-${id}`} x={0} y={below + 24} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={13 * s}>
          {t('mmapNobody')}
        </text>
      )}
      {shown.map((m, i) => (
        <text
          key={`${m.pid}-${m.start}`}
          data-testid={`mmap-range-${id}-${m.pid}-${m.start}`}
          x={0}
          y={below + 24 + i * 19}
          textAnchor="middle"
          fill={palette.slotFill}
          fontFamily={palette.mono}
          fontSize={12.5 * s}
        >
          {clipToWidth(t('mmapRange', { pid: m.pid, start: `0x${m.start}`, length: rangeLength(m), perms: m.perms }), TEXT_WIDTH, 12.5 * s, true)}
        </text>
      ))}
    </g>
  );
}
