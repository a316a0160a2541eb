import { useMemo } from 'react';
import type { Translate } from '../i18n/strings';
import { NODE_HEIGHT, pointOnEdge, type PictureLayout } from '../picture/layout';
import type { Palette } from '../picture/palette';
import { useAppStore } from '../store/app-store';
import { useObserveStore } from './observe-store';
import { rateText, summarize } from './recent-traffic';

/**
 * Traffic between frames drawn over the picture while observing: along an
 * edge when that descriptor carried the bytes, above a process when only its
 * whole-process count can say (the side panel explains which is which).
 */
export function TrafficLayer({ layout, palette, t }: { layout: PictureLayout; palette: Palette; t: Translate }) {
  const observing = useAppStore((s) => s.frame?.observing != null);
  const samples = useObserveStore((s) => s.traffic);
  const summary = useMemo(() => summarize(samples), [samples]);
  if (!observing) return null;
  const s = palette.scale;
  const placed = new Map(layout.processes.map((p) => [p.pid, p]));
  return (
    <g data-testid="traffic-layer">
      {layout.edges.map((edge) => {
        const moved = summary.edges.get(`${edge.holder.pid}:${edge.holder.fd}`);
        if (!moved || moved.bytes === 0) return null;
        const color = moved.direction === 'write' ? palette.writeEdge : palette.readEdge;
        const text = t('obsViaFd', { rate: rateText(moved.bytes, summary.spanMs), direction: t(moved.direction === 'write' ? 'obsWrote' : 'obsRead'), fd: moved.fd });
        const width = (text.length * 6.8 + 14) * s;
        /*
         * Just above the edge's own "fd N r" label (drawn at 0.32), starting at
         * the node's side toward the object: it covers neither the node's text
         * nor that label.
         */
        const label = pointOnEdge(edge, 0.32);
        const toward = edge.to.x >= edge.from.x ? 1 : -1;
        const at = { x: edge.from.x + toward * (6 * s + width / 2), y: label.y - 27 * s };
        return (
          <g key={edge.id} data-testid={`traffic-edge-${edge.holder.pid}-${edge.holder.fd}`} data-bytes={moved.bytes} data-calls={moved.calls}>
            <path d={`M${edge.from.x},${edge.from.y} C${edge.c1.x},${edge.c1.y} ${edge.c2.x},${edge.c2.y} ${edge.to.x},${edge.to.y}`} fill="none" stroke={color} strokeOpacity={0.35} strokeWidth={10} strokeLinecap="round" strokeDasharray="2 10" />
            <rect x={at.x - width / 2} y={at.y - 11 * s} width={width} height={22 * s} rx={11 * s} fill={color} />
            <text x={at.x} y={at.y + 4.5 * s} textAnchor="middle" fill={palette.background} fontFamily={palette.mono} fontSize={11 * s} fontWeight={700}>
              {text}
            </text>
          </g>
        );
      })}
      {[...summary.processes].map(([pid, totals]) => {
        const node = placed.get(pid);
        if (!node) return null;
        const parts = (['write', 'read'] as const)
          .filter((direction) => totals[direction].bytes > 0)
          .map((direction) => t('obsWholeProcess', { rate: rateText(totals[direction].bytes, summary.spanMs), direction: t(direction === 'write' ? 'obsWrote' : 'obsRead') }));
        if (parts.length === 0) return null;
        return (
          <text
            key={pid}
            data-testid={`traffic-process-${pid}`}
            x={node.x}
            y={node.y - NODE_HEIGHT / 2 - 8 * s}
            textAnchor="middle"
            fill={palette.muted}
            fontFamily={palette.mono}
            fontSize={11 * s}
          >
            {parts.join(' · ')}
          </text>
        );
      })}
    </g>
  );
}
