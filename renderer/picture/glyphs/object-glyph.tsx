import type { IpcObject } from '../../../native-bridge/model/snapshot-types';
import { peekText } from '../../format/bytes-text';
import { objectLabel } from '../../format/kernel-words';
import type { GlyphProps } from './glyph-props';
import { RING_RADIUS, type PlacedProcess } from '../layout';
import { ListenerGlyph, isListener } from './listener-glyph';
import { LockGlyph } from './lock-glyph';
import { MappedFileGlyph } from './mapped-file-glyph';
import { MsgqGlyph } from './msgq-glyph';
import { MqueueGlyph } from './msgq-glyph-posix';
import { PipeRing } from './pipe-ring';
import { SemGlyph } from './sem-glyph';
import { ShmGlyph } from './shm-glyph';
import { peerOf, SocketPairGlyph } from './socket-pair-glyph';
import { isTcpConnection, TcpGlyph } from './tcp-glyph';

/** Everything a glyph may need besides its object; the picture hands the same to every object. */
export interface ObjectGlyphProps extends GlyphProps {
  object: IpcObject;
  /** The processes the picture placed: waiters, attachers and holders are drawn beside their nodes. */
  placed: PlacedProcess[];
  /** Every object of the frame, shown or not: a socket end's peer. */
  frameObjects: readonly IpcObject[];
  /** Bytes a pipe's ring holds at this instant: the kernel's count, less bytes still flying in, plus bytes not yet flown out. */
  ringBytes(objectId: string, queued: number): number;
}

/**
 * The one place that picks an object's picture (one glyph per kind, one file each).
 * Order matters where kinds share a type: a listening socket before a connected pair.
 */
export function ObjectGlyph(props: ObjectGlyphProps) {
  const { object, placed, palette, t, selected, onSelect } = props;
  const at: GlyphProps = { x: props.x, y: props.y, palette, t, selected, onSelect };
  if (object.kind === 'pipe' || object.kind === 'fifo') return <PipeRing {...at} pipe={object} ringBytes={props.ringBytes(object.id, object.queued ?? 0)} />;
  if (object.kind === 'shm') return <ShmGlyph {...at} shm={object} attachers={placed.filter((p) => object.attached.includes(p.pid))} />;
  if (object.kind === 'sem') return <SemGlyph {...at} sem={object} waiters={placed.filter((p) => object.waiting.includes(p.pid))} />;
  if (object.kind === 'msg') return <MsgqGlyph {...at} queue={object} placed={placed} />;
  if (object.kind === 'mqueue') return <MqueueGlyph {...at} queue={object} placed={placed} />;
  if (object.kind === 'mmap') return <MappedFileGlyph {...at} file={object} />;
  if (object.kind === 'lock') return <LockGlyph {...at} lock={object} />;
  if (isListener(object)) return <ListenerGlyph {...at} listener={object} />;
  if (isTcpConnection(object)) return <TcpGlyph {...at} end={object} placed={placed} />;
  if (object.kind === 'unix' && object.peer && object.state !== 'LISTEN') {
    const other = peerOf(props.frameObjects, object.peer);
    /* connect() returned but nobody accepted: the probe names the listener the connection waits in as the peer; it is no pair yet */
    const waitsIn = other?.state === 'LISTEN' ? other : null;
    return <SocketPairGlyph {...at} end={object} peer={waitsIn ? null : other} queuedIn={waitsIn} placed={placed} />;
  }
  return <BoxGlyph {...at} object={object} />;
}

/** Objects that have no picture of their own yet: a labelled box with the kernel's numbers. */
function BoxGlyph({ object, x, y, palette, selected, onSelect }: GlyphProps & { object: IpcObject }) {
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
