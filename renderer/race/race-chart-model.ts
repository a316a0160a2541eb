/**
 * The IPC race chart's geometry, computed with d3 scales from the numbers the
 * engine measured in this run (LessonView.race): a bar per mechanism for
 * throughput on a log scale, a dot for the median round trip with a whisker
 * to the 95th percentile on a log scale, and the syscalls and copies per
 * message. Nothing here is drawn; race-chart.tsx draws it.
 */
import { scaleLog } from 'd3';
import type { RaceEntry, RaceResult } from '../../native-bridge/model/race-types';

export const CHART_WIDTH = 840;
export const LABEL_WIDTH = 150;
export const BAR_X = 160;
export const BAR_WIDTH = 265;
export const DOT_X = 470;
export const DOT_WIDTH = 150;
export const COST_X = 640;

export interface RaceRow {
  entry: RaceEntry;
  /** Bar length from BAR_X, in view units; null when the mechanism could not carry this size. */
  barWidth: number | null;
  /** Dot and whisker end, from DOT_X. */
  medianX: number | null;
  p95X: number | null;
  checksumOk: boolean;
}

export interface RaceChartModel {
  rows: RaceRow[];
  /** Throughput axis: a tick at each power of ten inside the domain. */
  throughputTicks: { x: number; bytesPerSecond: number }[];
  latencyTicks: { x: number; us: number }[];
}

const ran = (e: RaceEntry): boolean => e.skipped === null && e.bytesPerSecond > 0;

export function raceChartModel(result: RaceResult): RaceChartModel {
  const measured = result.entries.filter(ran);
  const rates = measured.map((e) => e.bytesPerSecond);
  /* the domain spans whole decades around the numbers, so the shortest bar still has length */
  const low = rates.length ? 10 ** Math.floor(Math.log10(Math.min(...rates) / 2)) : 1e6;
  const high = rates.length ? 10 ** Math.ceil(Math.log10(Math.max(...rates) * 1.05)) : 1e9;
  const throughput = scaleLog().domain([low, high]).range([0, BAR_WIDTH]);
  /* a log scale too: on a busy machine the 95th percentile can be a thousand times the median */
  const quickest = measured.length ? Math.min(...measured.map((e) => e.rttMedianUs)) : 10;
  const slowest = measured.length ? Math.max(...measured.map((e) => e.rttP95Us)) : 100;
  const latency = scaleLog()
    .domain([10 ** Math.floor(Math.log10(Math.max(0.1, quickest))), 10 ** Math.ceil(Math.log10(Math.max(slowest, quickest * 1.01)))])
    .range([0, DOT_WIDTH]);
  const rows = result.entries.map((entry) => ({
    entry,
    barWidth: ran(entry) ? throughput(entry.bytesPerSecond) : null,
    medianX: ran(entry) ? latency(entry.rttMedianUs) : null,
    p95X: ran(entry) ? latency(entry.rttP95Us) : null,
    checksumOk: entry.checksumSent !== '' && entry.checksumSent === entry.checksumReceived && entry.bytesSent === entry.bytesReceived,
  }));
  const throughputTicks = throughput
    .ticks()
    .filter((v) => Number.isInteger(Math.log10(v)))
    .map((v) => ({ x: throughput(v), bytesPerSecond: v }));
  const latencyTicks = latency
    .ticks()
    .filter((us) => Number.isInteger(Math.log10(us)))
    .map((us) => ({ x: latency(us), us }));
  return { rows, throughputTicks, latencyTicks };
}

/** "238 MB/s", "2.7 GB/s", "850 kB/s": decimal units, as throughput is usually quoted. */
export function rateText(bytesPerSecond: number): string {
  const units: [number, string][] = [
    [1e9, 'GB/s'],
    [1e6, 'MB/s'],
    [1e3, 'kB/s'],
  ];
  for (const [scale, unit] of units) {
    if (bytesPerSecond >= scale) {
      const v = bytesPerSecond / scale;
      return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${unit}`;
    }
  }
  return `${bytesPerSecond.toFixed(0)} B/s`;
}

/** "20 µs", "1 ms": a round trip on the latency axis. */
export function usText(us: number): string {
  return us >= 1000 ? `${us / 1000} ms` : `${us} µs`;
}

export function sizeText(size: number): string {
  return size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
}
