import { edgePath, type EdgeGeometry } from './layout';
import { fdLabelBoxAt, fdLabelText } from './label-place';
import type { Palette } from './palette';

interface Props {
  edge: EdgeGeometry;
  palette: Palette;
  /** 1-based number of the lesson's note that points at this descriptor (focus-notes.tsx); null when none does. */
  focusMark?: number | null;
}

/** The box of an edge's "fd 4 w" label, where FdEdge draws it (placed by the layout, label-place.ts): what other marks on the edge keep clear of (traffic-placement.ts). */
export function fdLabelBox(edge: EdgeGeometry, scale: number): { x: number; y: number; width: number; height: number } {
  return fdLabelBoxAt(edge.holder, edge.label, scale, edge.label.vertical);
}

/**
 * One descriptor: process -> object, labelled "fd 4 w". The arrow follows the
 * data: into the pipe from a write end, out of it to a read end.
 */
export function FdEdge({ edge, palette, focusMark = null }: Props) {
  const { holder } = edge;
  const color = holder.access === 'r' ? palette.readEdge : holder.access === 'w' ? palette.writeEdge : palette.otherEdge;
  const mid = edge.label;
  const label = fdLabelText(holder);
  const s = palette.scale;
  const box = fdLabelBox(edge, s);
  const width = box.width;
  const marker = holder.access === 'r' ? 'url(#arrow-start-r)' : undefined;
  const markerEnd = holder.access === 'w' ? 'url(#arrow-end-w)' : holder.access === 'rw' ? 'url(#arrow-end-rw)' : undefined;
  const mark = focusMark === null ? null : { x: mid.x + width / 2 + 4 * s, y: mid.y - 15 * s };
  return (
    <g data-testid={`edge-${holder.pid}-${holder.fd}`} data-object={edge.objectId} data-access={holder.access} data-focus={focusMark ?? undefined}>
      {mark && <path d={edgePath(edge)} fill="none" stroke={palette.blocked} strokeOpacity={0.45} strokeWidth={12} strokeLinecap="round" />}
      <path d={edgePath(edge)} fill="none" stroke={color} strokeWidth={3} strokeLinecap="round" markerStart={marker} markerEnd={markerEnd} />
      <rect x={box.x} y={box.y} width={width} height={box.height} rx={Math.min(13 * s, width / 2, box.height / 2)} fill={palette.background} stroke={color} strokeWidth={1.5} />
      {/* a label on end (a narrow gutter) reads bottom to top, along its edge */}
      <text x={mid.x} y={mid.y + 5 * s} transform={edge.label.vertical ? `rotate(-90 ${mid.x} ${mid.y})` : undefined} textAnchor="middle" fill={color} fontFamily={palette.mono} fontSize={14 * s} fontWeight={700}>
        {label}
      </text>
      {mark && (
        <g data-testid={`focus-mark-${focusMark}`}>
          <circle cx={mark.x} cy={mark.y} r={11 * s} fill={palette.blocked} />
          <text x={mark.x} y={mark.y + 5 * s} textAnchor="middle" fill={palette.background} fontFamily={palette.font} fontSize={14 * s} fontWeight={700}>
            {focusMark}
          </text>
        </g>
      )}
    </g>
  );
}

/** Arrowheads, defined once per picture. */
export function EdgeMarkers({ palette }: { palette: Palette }) {
  return (
    <defs>
      <marker id="arrow-end-w" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" fill={palette.writeEdge} />
      </marker>
      <marker id="arrow-end-rw" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" fill={palette.otherEdge} />
      </marker>
      <marker id="arrow-start-r" viewBox="0 0 10 10" refX="2" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" fill={palette.readEdge} />
      </marker>
    </defs>
  );
}

/** Which colour is which end: read ends carry bytes to a process, write ends into the object. */
export function EdgeLegend({ palette, x, y, readLabel, writeLabel }: { palette: Palette; x: number; y: number; readLabel: string; writeLabel: string }) {
  const s = palette.scale;
  const row = (dy: number, color: string, label: string) => (
    <g transform={`translate(0,${dy})`}>
      <line x1={0} x2={28 * s} y1={-4} y2={-4} stroke={color} strokeWidth={3} strokeLinecap="round" />
      <text x={36 * s} fill={palette.muted} fontFamily={palette.font} fontSize={12 * s}>
        {label}
      </text>
    </g>
  );
  return (
    <g data-testid="edge-legend" transform={`translate(${x},${y})`}>
      {row(0, palette.writeEdge, writeLabel)}
      {row(18 * s, palette.readEdge, readLabel)}
    </g>
  );
}
