import type { SyscallEvent } from '../../native-bridge/model/frame-types';
import { animationClock } from '../clock/animation-clock';
import { peekText } from '../format/bytes-text';
import type { TimelineEntry } from '../store/timeline-slice';
import { pointOnEdge, type EdgeGeometry, type Point } from './layout';
import type { Palette } from './palette';
import { useAnimationTime } from './use-picture-clock';

/** How long bytes take to cross an edge at speed 1. */
export const FLIGHT_MS = 1100;

export interface Flight {
  key: string;
  at: Point;
  label: string;
  eof: boolean;
}

function movesBytes(event: SyscallEvent): boolean {
  if (event.phase !== 'return' || event.fd === null || event.errno) return false;
  if (event.syscall === 'write') return (event.result ?? 0) > 0;
  return event.syscall === 'read' && event.result !== null && event.result >= 0;
}

function rank(event: SyscallEvent): number {
  return event.syscall === 'write' ? 0 : 1;
}

/**
 * Bytes in the air: each write that returned flies from the writer's fd to the
 * object, each read flies from the object to the reader (a read of 0 carries
 * "EOF"). Driven only by the frame's SyscallEvents and the animation clock.
 */
export function activeFlights(entries: TimelineEntry[], edges: EdgeGeometry[], now: number, durationMs: number): Flight[] {
  const flights: Flight[] = [];
  const batchIndex = new Map<number, number>();
  // Within one frame, bytes go into an object before they come out of it: writes fly first.
  const ordered = entries
    .filter((e) => movesBytes(e.event))
    .sort((a, b) => a.receivedAt - b.receivedAt || rank(a.event) - rank(b.event) || a.event.seq - b.event.seq);
  for (const { event, receivedAt } of ordered) {
    // Calls reported in one frame take off one after another, in the order the engine saw them.
    const index = batchIndex.get(receivedAt) ?? 0;
    batchIndex.set(receivedAt, index + 1);
    const start = receivedAt + index * durationMs * 0.6;
    const t = (now - start) / durationMs;
    if (t < 0 || t > 1) continue;
    const edge = edges.find((e) => e.pid === event.pid && e.holder.fd === event.fd);
    if (!edge) continue;
    const eof = event.syscall === 'read' && event.result === 0;
    const along = event.syscall === 'write' ? t : 1 - t;
    flights.push({
      key: `${event.seq}`,
      at: pointOnEdge(edge, along),
      label: eof ? 'EOF' : peekText(event.data, 14) || `${event.result} B`,
      eof,
    });
  }
  return flights;
}

function recentEntries(entries: TimelineEntry[], now: number, durationMs: number): TimelineEntry[] {
  // Only the tail can still be flying; a long log is not scanned every frame.
  // Closes, forks and blocked calls never fly: counting them would keep the
  // per-frame clock running (and widen the window) with nothing drawn.
  const moving = entries.slice(-24).filter((e) => movesBytes(e.event));
  // The last of n staggered flights lands (1 + 0.6 (n - 1)) durations after its frame.
  return moving.filter((e) => now - e.receivedAt < durationMs * (1 + 0.6 * moving.length));
}

interface Props {
  /** The event log read with the drawn frame (usePictureFrame), not a store subscription of its own. */
  entries: TimelineEntry[];
  edges: EdgeGeometry[];
  palette: Palette;
  speed: number;
}

export function ByteFlights({ entries, edges, palette, speed }: Props) {
  const duration = FLIGHT_MS / Math.max(0.1, speed);
  const recent = recentEntries(entries, animationClock().now(), duration);
  const now = useAnimationTime(recent.length > 0);
  const flights = activeFlights(recent, edges, now, duration);
  const s = palette.scale;
  return (
    <g data-testid="byte-flights">
      {flights.map((flight) => {
        const width = (flight.label.length * 8.2 + 18) * s;
        return (
          <g key={flight.key} data-testid={`flight-${flight.key}`} transform={`translate(${flight.at.x},${flight.at.y})`}>
            <rect x={-width / 2} y={-14 * s} width={width} height={28 * s} rx={8} fill={flight.eof ? palette.eof : palette.flight} />
            <text y={5 * s} textAnchor="middle" fill={flight.eof ? '#ffffff' : palette.flightText} fontFamily={palette.mono} fontSize={14 * s} fontWeight={700}>
              {flight.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}
