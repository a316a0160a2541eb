import type { Frame } from '../../native-bridge/model/frame-types';
import type { TrafficEntry } from '../../native-bridge/model/traffic-types';

/**
 * Frames arrive up to 60 times a second and a write once a second shows in
 * one of them only: the picture sums the traffic of the frames of the last
 * TRAFFIC_WINDOW_MS (by the frames' own sampling times), so each write stays
 * readable for that long, and the rate is over the time those frames span.
 */
export const TRAFFIC_WINDOW_MS = 2000;
/* frames kept at most: 60 Hz over the window, with room */
const MAX_KEPT = 200;

export interface TrafficSample {
  takenAt: number;
  /** Time since the previous frame, ms (for the first: the engine's own interval of its entries, 0 without any). */
  intervalMs: number;
  entries: TrafficEntry[];
}

export interface TrafficTotal {
  bytes: number;
  calls: number;
}

export interface TrafficSummary {
  /** Sampling time the totals span (ms), up to TRAFFIC_WINDOW_MS. */
  spanMs: number;
  /** `${pid}:${fd}` -> what went through that descriptor, with its direction and object. */
  edges: Map<string, TrafficTotal & { pid: number; fd: number; object: string; direction: 'read' | 'write' }>;
  /** pid -> whole-process counts that no single descriptor accounts for. */
  processes: Map<number, { read: TrafficTotal; write: TrafficTotal }>;
}

/** One line of the side panel: a descriptor that carried bytes, or a whole process's count (both directions). */
export interface TrafficRow {
  key: string;
  pid: number;
  /** Set when one descriptor accounts for the bytes. */
  fd?: number;
  object?: string;
  read: TrafficTotal;
  write: TrafficTotal;
}

/** Adds a frame's traffic to the kept samples; a new observation (no traffic field) starts afresh. */
export function keepTraffic(samples: TrafficSample[], frame: Frame, previous: Frame | null): TrafficSample[] {
  if (!frame.observing || !frame.traffic) return samples.length ? [] : samples;
  /* the first frame kept: its entries still span the engine's own interval (bytes without time would inflate the rate) */
  const since = previous && previous.observing ? frame.takenAt - previous.takenAt : Math.max(0, ...frame.traffic.map((e) => e.intervalMs));
  const intervalMs = Math.max(0, since);
  const kept = samples.filter((s) => s.takenAt > frame.takenAt - TRAFFIC_WINDOW_MS && s.takenAt <= frame.takenAt);
  kept.push({ takenAt: frame.takenAt, intervalMs, entries: frame.traffic });
  return kept.length > MAX_KEPT ? kept.slice(-MAX_KEPT) : kept;
}

export function summarize(samples: TrafficSample[]): TrafficSummary {
  const summary: TrafficSummary = { spanMs: 0, edges: new Map(), processes: new Map() };
  for (const sample of samples) {
    summary.spanMs += sample.intervalMs;
    for (const entry of sample.entries) {
      if (entry.via === 'descriptor' && entry.fd !== undefined && entry.object !== undefined) {
        const key = `${entry.pid}:${entry.fd}`;
        const edge = summary.edges.get(key) ?? { pid: entry.pid, fd: entry.fd, object: entry.object, direction: entry.direction, bytes: 0, calls: 0 };
        edge.bytes += entry.bytes;
        edge.calls += entry.calls;
        summary.edges.set(key, edge);
      } else {
        const totals = summary.processes.get(entry.pid) ?? { read: { bytes: 0, calls: 0 }, write: { bytes: 0, calls: 0 } };
        totals[entry.direction].bytes += entry.bytes;
        totals[entry.direction].calls += entry.calls;
        summary.processes.set(entry.pid, totals);
      }
    }
  }
  summary.spanMs = Math.min(TRAFFIC_WINDOW_MS, Math.max(summary.spanMs, 1));
  return summary;
}

/** The summed lines, busiest first (bytes, then calls): one per descriptor that accounts for its bytes, one per process otherwise. */
export function trafficRows(summary: TrafficSummary): TrafficRow[] {
  const none = (): TrafficTotal => ({ bytes: 0, calls: 0 });
  const rows: TrafficRow[] = [];
  for (const [key, edge] of summary.edges) {
    const row: TrafficRow = { key, pid: edge.pid, fd: edge.fd, object: edge.object, read: none(), write: none() };
    row[edge.direction] = { bytes: edge.bytes, calls: edge.calls };
    rows.push(row);
  }
  for (const [pid, totals] of summary.processes) rows.push({ key: String(pid), pid, read: totals.read, write: totals.write });
  const weight = (row: TrafficRow) => [row.read.bytes + row.write.bytes, row.read.calls + row.write.calls] as const;
  return rows
    .filter((row) => weight(row)[1] > 0 || weight(row)[0] > 0)
    .sort((a, b) => weight(b)[0] - weight(a)[0] || weight(b)[1] - weight(a)[1] || a.pid - b.pid);
}

/**
 * The rows the panel shows: those of the selected process or object first
 * (a developer who clicks a quiet process wants its rate, though a busy
 * machine has louder ones), then the busiest others, `cap` in all.
 */
export function shownTrafficRows(rows: TrafficRow[], selection: string | null, cap: number): { row: TrafficRow; selected: boolean }[] {
  const isSelected = (row: TrafficRow) => selection !== null && (selection === `process:${row.pid}` || (row.object !== undefined && selection === row.object));
  const selected = rows.filter(isSelected);
  const others = rows.filter((row) => !isSelected(row));
  return [...selected.map((row) => ({ row, selected: true })), ...others.map((row) => ({ row, selected: false }))].slice(0, cap);
}

/** Calls per second over `spanMs`, as "0.5", "12". */
export function callRateText(calls: number, spanMs: number): string {
  const perSecond = (calls * 1000) / Math.max(spanMs, 1);
  return perSecond < 10 ? perSecond.toFixed(1).replace(/\.0$/, '') : String(Math.round(perSecond));
}

/** Bytes per second over `spanMs`, as "5 B", "1.2 KiB", "3.4 MiB" (the "/s" is the caller's). */
export function rateText(bytes: number, spanMs: number): string {
  const perSecond = (bytes * 1000) / Math.max(spanMs, 1);
  if (perSecond < 1024) return `${perSecond < 10 ? perSecond.toFixed(1).replace(/\.0$/, '') : Math.round(perSecond)} B`;
  if (perSecond < 1024 * 1024) return `${(perSecond / 1024).toFixed(1)} KiB`;
  return `${(perSecond / (1024 * 1024)).toFixed(1)} MiB`;
}
