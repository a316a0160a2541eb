/**
 * What one frame of the process pool costs on the wire (issue 11, the keeps
 * version: worker k holds the write ends of its elder siblings' pipes). Runs
 * the lesson through a real engine session at 30 Hz, waits until every
 * worker sleeps in read (wchan from /proc), then encodes the last frame in
 * full (what the engine and `snapshot --json` keep) and the following frames
 * in their wire form (wire-frame.ts, what the browser mode and the Electron
 * shell send): the first cut made from nothing, then frame after frame.
 * Run alone: `node --import tsx bench/wire-frame-size.ts [workers] [closes|keeps]`.
 */
import { readFileSync } from 'node:fs';
import type { Frame } from '../native-bridge/model/frame-types';
import { wireFrame } from '../native-bridge/model/wire-frame';
import { createSession } from '../native-bridge/session/session';
import { median, ms } from './timing';

export interface WireCost {
  /** Entries in the last frame's lists, in full and on the wire. */
  holders: [number, number];
  fds: [number, number];
  fullBytes: number;
  /** JSON.stringify of the full frame. */
  fullMs: number;
  wireBytes: number;
  /** Cut + JSON.stringify of the first frame (nothing cut before). */
  firstWireMs: number;
  /** Median of cut + JSON.stringify over the following frames, one after the other as a view gets them. */
  wireMs: number;
  /** The cut alone: first frame, then the median. */
  firstCutMs: number;
  cutMs: number;
}

function wchan(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8');
  } catch {
    return '';
  }
}

const entries = (f: Frame): [number, number] => [f.objects.reduce((n, o) => n + o.holders.length, 0), f.processes.reduce((n, p) => n + p.fds.length, 0)];

/** Frames in the order a session sent them, encoded as a view gets them; the full encoding of the last one. */
export function wireCost(frames: Frame[]): WireCost {
  const last = frames.at(-1);
  if (!last) return { holders: [0, 0], fds: [0, 0], fullBytes: 0, fullMs: 0, wireBytes: 0, firstWireMs: 0, wireMs: 0, firstCutMs: 0, cutMs: 0 };
  const spent: number[] = [];
  const cutting: number[] = [];
  let wired = last;
  let wireBytes = 0;
  for (const frame of frames) {
    const start = performance.now();
    wired = wireFrame(frame);
    cutting.push(performance.now() - start);
    wireBytes = Buffer.byteLength(JSON.stringify({ type: 'frame', frame: wired }));
    spent.push(performance.now() - start);
  }
  const start = performance.now();
  const fullBytes = Buffer.byteLength(JSON.stringify({ type: 'frame', frame: last }));
  const fullMs = performance.now() - start;
  const [h, f] = entries(last);
  const [wh, wf] = entries(wired);
  return { holders: [h, wh], fds: [f, wf], fullBytes, fullMs, wireBytes, firstWireMs: spent[0]!, wireMs: median(spent.slice(1)), firstCutMs: cutting[0]!, cutMs: median(cutting.slice(1)) };
}

export async function measureWireSize(workers: number, version: 'closes' | 'keeps'): Promise<WireCost> {
  const session = await createSession();
  const frames: Frame[] = [];
  const off = session.onFrame((frame) => {
    frames.push(frame);
    if (frames.length > 40) frames.shift();
  });
  try {
    const check = async (command: unknown): Promise<void> => {
      const result = await session.handle(command);
      if (!result.ok) throw new Error(`${JSON.stringify(command)}: ${result.error}`);
    };
    await check({ type: 'rate', hz: 30 });
    await check({ type: 'lesson.start', lesson: 'process-pool', params: { workers, version } });
    await check({ type: 'step' });
    const deadline = performance.now() + 120_000;
    const asleep = (f: Frame | undefined): boolean => f !== undefined && f.processes.filter((p) => p.blocked?.op === 'read' && wchan(p.pid) === 'anon_pipe_read').length >= workers;
    while (!asleep(frames.at(-1)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const from = frames.length;
    while (frames.length < from + 20 && frames.length < 40) await new Promise((r) => setTimeout(r, 50));
    const cost = wireCost(frames.slice(-20));
    await check({ type: 'lesson.stop' });
    return cost;
  } finally {
    off();
    await session.dispose();
  }
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

export function wireCostLines(c: WireCost): string[] {
  return [
    `one frame in full (engine, snapshot --json): ${mb(c.fullBytes)} of JSON, ${c.holders[0]} holders, ${c.fds[0]} descriptors; JSON.stringify ${ms(c.fullMs)}`,
    `as views get it (wire-frame.ts): ${mb(c.wireBytes)}, ${c.holders[1]} holders, ${c.fds[1]} descriptors (${(c.fullBytes / Math.max(1, c.wireBytes)).toFixed(0)}x smaller); cut + JSON.stringify ${ms(c.firstWireMs)} for the first frame (the cut ${ms(c.firstCutMs)}), then ${ms(c.wireMs)} per frame (the cut ${ms(c.cutMs)}; medians)`,
  ];
}

if (process.argv[1]?.endsWith('wire-frame-size.ts')) {
  const workers = Number(process.argv[2] ?? 1000);
  const version = process.argv[3] === 'closes' ? 'closes' : 'keeps';
  process.stdout.write(`The process pool at N = ${workers}, version ${version}, on the wire\n`);
  for (const line of wireCostLines(await measureWireSize(workers, version))) process.stdout.write(`   ${line}\n`);
}
