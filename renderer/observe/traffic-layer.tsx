import { useMemo } from 'react';
import type { Translate } from '../i18n/strings';
import { edgePath, NODE_HEIGHT, type PictureLayout } from '../picture/layout';
import type { Palette } from '../picture/palette';
import { useAppStore } from '../store/app-store';
import { useObserveStore } from './observe-store';
import { rateText, summarize } from './recent-traffic';
import { placeBadges } from './traffic-placement';

/**
 * Traffic between frames drawn over the picture while observing: along an
 * edge when that descriptor carried the bytes, above a process when only its
 * whole-process count can say (the side panel explains which is which).
 * `under`: the flow along each edge, drawn beneath the edges so it never
 * crosses their "fd N r" labels; `over`: the badges and process counts, each
 * badge placed clear of every label and node (traffic-placement.ts).
 */
export function TrafficLayer({ layout, palette, t, layer }: { layout: PictureLayout; palette: Palette; t: Translate; layer: 'under' | 'over' }) {
  const observing = useAppStore((s) => s.frame?.observing != null);
  const samples = useObserveStore((s) => s.traffic);
  const summary = useMemo(() => summarize(samples), [samples]);
  const s = palette.scale;
  const badges = useMemo(
    () =>
      layout.edges.flatMap((edge) => {
        const moved = summary.edges.get(`${edge.holder.pid}:${edge.holder.fd}`);
        if (!moved || moved.bytes === 0) return [];
        const text = t('obsViaFd', { rate: rateText(moved.bytes, summary.spanMs), direction: t(moved.direction === 'write' ? 'obsWrote' : 'obsRead'), fd: moved.fd });
        return [{ edge, moved, text, width: (text.length * 6.8 + 14) * s }];
      }),
    [layout.edges, summary, t, s],
  );
  const boxes = useMemo(() => placeBadges(badges, layout, s), [badges, layout, s]);
  if (!observing) return null;
  const colorOf = (direction: 'read' | 'write') => (direction === 'write' ? palette.writeEdge : palette.readEdge);
  if (layer === 'under') {
    return (
      <g data-testid="traffic-flows">
        {badges.map(({ edge, moved }) => (
          <path
            key={edge.id}
            data-testid={`traffic-flow-${edge.holder.pid}-${edge.holder.fd}`}
            d={edgePath(edge)}
            fill="none"
            stroke={colorOf(moved.direction)}
            strokeOpacity={0.35}
            strokeWidth={10}
            strokeLinecap="round"
            strokeDasharray="2 10"
          />
        ))}
      </g>
    );
  }
  const placed = new Map(layout.processes.map((p) => [p.pid, p]));
  return (
    <g data-testid="traffic-layer">
      {badges.map(({ edge, moved, text }, i) => {
        const box = boxes[i]!;
        return (
          <g key={edge.id} data-testid={`traffic-edge-${edge.holder.pid}-${edge.holder.fd}`} data-bytes={moved.bytes} data-calls={moved.calls}>
            <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={11 * s} fill={colorOf(moved.direction)} />
            <text x={box.x + box.width / 2} y={box.y + box.height / 2 + 4.5 * s} textAnchor="middle" fill={palette.background} fontFamily={palette.mono} fontSize={11 * s} fontWeight={700}>
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
