import type { IpcObject } from '../../native-bridge/model/snapshot-types';
import { peekText } from '../format/bytes-text';
import { objectLabel } from '../format/kernel-words';
import { useT } from '../i18n/use-t';
import { ListenerGlyph, isListener } from './listener-glyph';
import { LockGlyph } from './lock-glyph';
import { MappedFileGlyph } from './mapped-file-glyph';
import { TcpGlyph, isTcpConnection } from './tcp-glyph';
import type { Palette } from './palette';
import { RING_RADIUS } from './layout';

interface Props {
  object: IpcObject;
  x: number;
  y: number;
  palette: Palette;
  selected: boolean;
  onSelect(id: string): void;
}

/** Objects that have no picture of their own yet (sockets, System V, POSIX): a labelled box with the kernel's numbers. */
export function ObjectGlyph({ object, x, y, palette, selected, onSelect }: Props) {
  const t = useT();
  // kinds with a picture of their own (one file each)
  if (object.kind === 'mmap') return <MappedFileGlyph file={object} x={x} y={y} palette={palette} t={t} selected={selected} onSelect={onSelect} />;
  if (isListener(object)) return <ListenerGlyph listener={object} x={x} y={y} palette={palette} t={t} selected={selected} onSelect={onSelect} />;
  if (isTcpConnection(object)) return <TcpGlyph end={object} x={x} y={y} palette={palette} t={t} selected={selected} onSelect={onSelect} />;
  if (object.kind === 'lock') return <LockGlyph lock={object} x={x} y={y} palette={palette} t={t} selected={selected} onSelect={onSelect} />;
  const s = palette.scale;
  const w = RING_RADIUS * 1.8;
  const h = 90;
  return (
    <g data-testid={`object-${object.id}`} data-kind={object.kind} transform={`translate(${x},${y})`} onClick={() => onSelect(object.id)} style={{ cursor: 'pointer' }}>
      <rect x={-w / 2} y={-h / 2} width={w} height={h} rx={12} fill={palette.node} stroke={selected ? palette.lessonAccent : palette.nodeStroke} strokeWidth={selected ? 3 : 1.5} />
      <text y={-14} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={15 * s} fontWeight={700}>
        {objectLabel(object.id)}
      </text>
      {object.queued != null && (
        <text data-testid={`fill-${object.id}`} y={8} textAnchor="middle" fill={palette.text} fontFamily={palette.font} fontSize={13 * s}>
          {object.queued} B
        </text>
      )}
      {object.peek && (
        <text y={28} textAnchor="middle" fill={palette.flight} fontFamily={palette.mono} fontSize={12 * s}>
          {peekText(object.peek, 24)}
        </text>
      )}
    </g>
  );
}
