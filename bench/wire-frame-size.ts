/**
 * What one frame of the process pool costs on the wire (issue 11, the keeps
 * version: worker k holds the write ends of its elder siblings' pipes). Runs
 * the lesson through a real engine session, waits until every worker sleeps
 * in read (wchan from /proc), then encodes the last frame in full (what the
 * engine and `snapshot --json` keep) and in its wire form (wire-frame.ts, what
 * the browser mode and the Electron shell send), and prints size and time.
 * Run alone: `node --import tsx bench/wire-frame-size.ts [workers] [closes|keeps]`.
 */
import { readFileSync } from 'node:fs';
import type { Frame } from '../native-bridge/model/frame-types';
import { wireFrame } from '../native-bridge/model/wire-frame';
import { createSession } from '../native-bridge/session/session';
import { median, ms } from './timing';

export interface WireSizeBench {
  workers: number;
  version: string;
  holders: number;
  fds: number;
  full: { bytes: number; encodeMs: number };
  wire: { bytes: number; encodeMs: number; holders: number; fds: number };
}

function wchan(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8');
  } catch {
    return '';
  }
}

function timed(run: () => string, times: number): { bytes: number; encodeMs: number } {
  const spent: number[] = [];
  let bytes = 0;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    bytes = Buffer.byteLength(run());
    spent.push(performance.now() - start);
  }
  return { bytes, encodeMs: median(spent) };
}

export async function measureWireSize(workers: number, version: 'closes' | 'keeps'): Promise<WireSizeBench> {
  const session = await createSession();
  let last: Frame | null = null;
  const off = session.onFrame((frame) => (last = frame));
  try {
    const check = async (command: unknown): Promise<void> => {
      const result = await session.handle(command);
      if (!result.ok) throw new Error(`${JSON.stringify(command)}: ${result.error}`);
    };
    await check({ type: 'rate', hz: 10 });
    await check({ type: 'lesson.start', lesson: 'process-pool', params: { workers, version } });
    await check({ type: 'step' });
    const deadline = performance.now() + 120_000;
    const asleep = (f: Frame | null): boolean => {
      const pids = Object.entries(f?.lesson?.roles ?? {}).filter(([role]) => role !== 'parent').map(([, pid]) => pid);
      return f !== null && f.processes.length > workers && pids.length >= workers && pids.every((pid) => wchan(pid) === 'anon_pipe_read') && f.processes.filter((p) => p.blocked?.op === 'read').length >= workers;
    };
    while (!asleep(last) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const frame = last as Frame | null;
    if (!frame) throw new Error('no frame');
    const wired = wireFrame(frame);
    const count = (f: Frame) => ({ holders: f.objects.reduce((n, o) => n + o.holders.length, 0), fds: f.processes.reduce((n, p) => n + p.fds.length, 0) });
    const full = count(frame);
    const result = {
      workers,
      version,
      ...full,
      full: timed(() => JSON.stringify({ type: 'frame', frame }), 3),
      wire: { ...timed(() => JSON.stringify({ type: 'frame', frame: wireFrame(frame) }), 3), ...count(wired) },
    };
    await check({ type: 'lesson.stop' });
    return result;
  } finally {
    off();
    await session.dispose();
  }
}

export interface WireCost {
  fullBytes: number;
  fullMs: number;
  wireBytes: number;
  wireMs: number;
}

/** One frame encoded in full and in its wire form (median of 3 each); zeros without a frame. */
export function wireCost(frame: Frame | undefined): WireCost {
  if (!frame) return { fullBytes: 0, fullMs: 0, wireBytes: 0, wireMs: 0 };
  const full = timed(() => JSON.stringify({ type: 'frame', frame }), 3);
  const wire = timed(() => JSON.stringify({ type: 'frame', frame: wireFrame(frame) }), 3);
  return { fullBytes: full.bytes, fullMs: full.encodeMs, wireBytes: wire.bytes, wireMs: wire.encodeMs };
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

export function reportWireSize(r: WireSizeBench, say: (line?: string) => void): void {
  say(`One frame of the process pool at N = ${r.workers}, version ${r.version}, on the wire`);
  say(`   full (engine, snapshot --json): ${mb(r.full.bytes)} of JSON, ${r.holders} holders, ${r.fds} descriptors; JSON.stringify ${ms(r.full.encodeMs)}`);
  say(`   wire form (browser mode, Electron): ${mb(r.wire.bytes)}, ${r.wire.holders} holders, ${r.wire.fds} descriptors; cut + JSON.stringify ${ms(r.wire.encodeMs)}; ${(r.full.bytes / r.wire.bytes).toFixed(1)}x smaller`);
}

if (process.argv[1]?.endsWith('wire-frame-size.ts')) {
  const workers = Number(process.argv[2] ?? 1000);
  const version = process.argv[3] === 'closes' ? 'closes' : 'keeps';
  reportWireSize(await measureWireSize(workers, version), (line = '') => process.stdout.write(`${line}\n`));
}
