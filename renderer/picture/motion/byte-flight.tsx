import { peekText } from '../../format/bytes-text';
import type { TimelineEntry } from '../../store/timeline-slice';
import { movesBytes, scheduleFlights, type ScheduledFlight } from './flight-schedule';
import { pointOnEdge, type EdgeGeometry, type Point } from '../layout';
import type { Palette } from '../palette';

/** How long bytes take to cross an edge at speed 1. */
export const FLIGHT_MS = 1100;

export interface Flight {
  key: string;
  at: Point;
  label: string;
  eof: boolean;
}

/**
 * Bytes in the air: each write that returned flies from the writer's fd to the
 * object, each read flies from the object to the reader (a read of 0 carries
 * "EOF"), at the times scheduleFlights gives. Driven only by the frame's
 * SyscallEvents and the animation clock.
 */
export function activeFlights(entries: TimelineEntry[], edges: EdgeGeometry[], now: number, durationMs: number): Flight[] {
  return flightsAt(scheduleFlights(entries, edges, durationMs), now, durationMs);
}

export function flightsAt(scheduled: ScheduledFlight[], now: number, durationMs: number): Flight[] {
  const flights: Flight[] = [];
  for (const { event, edge, start } of scheduled) {
    const t = (now - start) / durationMs;
    if (t < 0 || t > 1 || !edge) continue;
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

/** The tail of the log that can still be flying; a long log is not scanned every frame. */
export function recentEntries(entries: TimelineEntry[], now: number, durationMs: number): TimelineEntry[] {
  // Closes, forks and blocked calls never fly: counting them would keep the
  // per-frame clock running (and widen the window) with nothing drawn.
  const moving = entries.slice(-24).filter((e) => movesBytes(e.event));
  // A read waits for the write before it to land: the last of n flights lands within (2 + 0.6 n) durations.
  return moving.filter((e) => now - e.receivedAt < durationMs * (2.5 + 0.6 * moving.length));
}

interface Props {
  /** Flights as scheduleFlights placed them, and the animation time to draw them at. */
  scheduled: ScheduledFlight[];
  now: number;
  durationMs: number;
  palette: Palette;
}

export function ByteFlights({ scheduled, now, durationMs, palette }: Props) {
  const flights = flightsAt(scheduled, now, durationMs);
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
