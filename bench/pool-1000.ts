/**
 * The process-pool lesson at N = 1000 (issue 11's speed targets), through a
 * real engine session as the app drives it (rate 30 Hz, lesson.start,
 * step). Printed as measured vs budget, never asserted:
 *   - from the first step to every worker asleep in read (wchan
 *     anon_pipe_read, read from /proc): budget 5 s;
 *   - PSS of all the lesson's processes (parent actor + workers), from
 *     /proc/PID/smaps_rollup: budget 1 GiB;
 *   - the tables left unread during the start (Snapshot.unreadTables: the
 *     engine reads new tables a budget at a time while PIDs are handed out
 *     fast): how many frames came meanwhile, the most left unread, and when
 *     a frame first had every table read, with the engine's CPU until then;
 *   - frames at 30 Hz keep up: over a window with every worker asleep and
 *     every table read, the interval between frames and the sampling time
 *     per frame, first third vs last third (a growing interval is a growing lag).
 * Run alone: `node --import tsx bench/pool-1000.ts [closes|keeps]`; `npm run bench` runs both versions last.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActorTeam } from '../native-bridge/actor/actor-host';
import { availableParallelism, loadavg } from 'node:os';
import type { Frame } from '../native-bridge/model/frame-types';
import { createSession } from '../native-bridge/session/session';
import { median, ms, quantile } from './timing';
import { wireCost, wireCostLines, type WireCost } from './wire-frame-size';

const WORKERS = 1000;
const RATE_HZ = 30;
const WINDOW_MS = 6000;
const START_BUDGET_MS = 5000;
const PSS_BUDGET_KIB = 1024 * 1024;

export interface PoolBench {
  version: string;
  startMs: number;
  blockedMs: number;
  blocked: number;
  /** CPU time (ms) until every worker was asleep: the parent actor, all workers together, this engine. */
  cpuMs: { parent: number; workers: number; engine: number };
  /** Frames from the step until every worker was asleep, the most tables any left unread, and when a frame first had every table read (ms after the step began; the engine's CPU until then). */
  burst: { frames: number; unreadMax: { inScope: number; outside: number }; readAllMs: number; engineCpuMs: number };
  pssKiB: { parent: number; workers: number; engine: number };
  frames: { count: number; expected: number; intervalMs: [number, number, number]; sampleMs: [number, number]; firstThird: number; lastThird: number; processes: number };
  cleanupMs: number;
  left: number;
  /** One frame with every worker asleep, as JSON: in full (engine, snapshot --json) and in its wire form (views). */
  wire: WireCost;
  /** The same start with no session sampling meanwhile: a parent actor alone runs pool-start. */
  alone: { blockedMs: number; parentCpuMs: number };
}

/** pool-start on a parent actor with nobody sampling: what the spawning alone costs on this machine now. */
async function startAlone(version: 'closes' | 'keeps'): Promise<PoolBench['alone']> {
  const team = await ActorTeam.start();
  const dir = mkdtempSync(join(tmpdir(), 'ipcscope-bench-pool-'));
  try {
    const parent = await team.spawn('parent');
    const cpu = cpuOf(parent.pid);
    const started = performance.now();
    const reply = await parent.call('pool-start', { workers: WORKERS, keeps: version === 'keeps', dir });
    const pids = Array.isArray(reply.data?.spawned) ? reply.data.spawned : [];
    while (pids.some((pid) => wchan(pid) !== 'anon_pipe_read') && performance.now() - started < 120_000) await new Promise((r) => setTimeout(r, 20));
    const alone = { blockedMs: performance.now() - started, parentCpuMs: cpuOf(parent.pid) - cpu };
    /* the lesson's own way out: close every write end, reap every worker */
    await parent.call('pool-close', {});
    await parent.call('pool-wait', {});
    return alone;
  } finally {
    await team.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function wchan(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8');
  } catch {
    return '';
  }
}

/* USER_HZ: /proc/PID/stat counts CPU time in ticks of 1/100 s */
const TICK_MS = 10;

/** utime + stime of a process, in ms (fields 14 and 15 of /proc/PID/stat). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

function pssKiB(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

export async function measurePool(version: 'closes' | 'keeps'): Promise<PoolBench> {
  const session = await createSession();
  const frames: { at: number; frame: Frame }[] = [];
  const off = session.onFrame((frame) => frames.push({ at: performance.now(), frame }));
  try {
    const check = async (command: unknown): Promise<void> => {
      const result = await session.handle(command);
      if (!result.ok) throw new Error(`${JSON.stringify(command)}: ${result.error}`);
    };
    await check({ type: 'rate', hz: RATE_HZ });
    await check({ type: 'lesson.start', lesson: 'process-pool', params: { workers: WORKERS, version } });
    const parent = frames.at(-1)?.frame.lesson?.roles.parent;
    if (!parent) throw new Error('no parent process in the frames');
    const started = performance.now();
    const parentCpu = cpuOf(parent);
    const engineCpu = process.cpuUsage();
    await check({ type: 'step' });
    const startMs = performance.now() - started;
    let workers = childrenOf(parent);
    let blocked = 0;
    const deadline = performance.now() + 120_000;
    while (performance.now() < deadline) {
      workers = childrenOf(parent);
      blocked = workers.filter((pid) => wchan(pid) === 'anon_pipe_read').length;
      if (blocked === WORKERS) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const blockedMs = performance.now() - started;
    const engineUsed = process.cpuUsage(engineCpu);
    const cpuMs = {
      parent: cpuOf(parent) - parentCpu,
      workers: workers.reduce((sum, pid) => sum + cpuOf(pid), 0),
      engine: (engineUsed.user + engineUsed.system) / 1000,
    };
    const pss = { parent: pssKiB(parent), workers: workers.reduce((sum, pid) => sum + pssKiB(pid), 0), engine: pssKiB(process.pid) };
    const burstFrames = frames.filter((f) => f.at >= started && f.at <= started + blockedMs).length;
    /* every table read: a frame with all the workers, none unread */
    const allRead = (frame: Frame): boolean => !frame.unreadTables && frame.processes.length > WORKERS && frame.processes.every((p) => !p.fdsUnread);
    while (performance.now() < deadline && !frames.some((f) => f.at >= started && allRead(f.frame))) await new Promise((r) => setTimeout(r, 20));
    const readAll = frames.find((f) => f.at >= started && allRead(f.frame));
    const readAllMs = readAll ? readAll.at - started : NaN;
    const readAllCpu = process.cpuUsage(engineCpu);
    const unreadMax = { inScope: 0, outside: 0 };
    for (const { frame } of frames) {
      unreadMax.inScope = Math.max(unreadMax.inScope, frame.unreadTables?.inScope ?? 0);
      unreadMax.outside = Math.max(unreadMax.outside, frame.unreadTables?.outside ?? 0);
    }
    const burst = { frames: burstFrames, unreadMax, readAllMs, engineCpuMs: (readAllCpu.user + readAllCpu.system) / 1000 };

    /* frames with every worker asleep and every table read: nothing changes, so any growth is the engine falling behind */
    const from = frames.length;
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const window = frames.slice(from);
    const intervals = window.slice(1).map((f, i) => f.at - window[i]!.at);
    const third = Math.max(1, Math.floor(intervals.length / 3));
    const sampleMs = window.map((f) => f.frame.durationMs);

    const wire = wireCost(window.slice(-20).map((f) => f.frame));
    const stopping = performance.now();
    await check({ type: 'lesson.stop' });
    const cleanupMs = performance.now() - stopping;
    const left = workers.filter((pid) => {
      try {
        readFileSync(`/proc/${pid}/stat`);
        return true;
      } catch {
        return false;
      }
    }).length;
    return {
      version,
      startMs,
      blockedMs,
      blocked,
      cpuMs,
      burst,
      pssKiB: pss,
      frames: {
        count: window.length,
        expected: Math.round((WINDOW_MS / 1000) * RATE_HZ),
        intervalMs: [median(intervals), quantile(intervals, 0.95), Math.max(...intervals)],
        sampleMs: [median(sampleMs), quantile(sampleMs, 0.95)],
        firstThird: mean(intervals.slice(0, third)),
        lastThird: mean(intervals.slice(-third)),
        processes: window.at(-1)?.frame.processes.length ?? 0,
      },
      cleanupMs,
      left,
      wire,
      alone: await startAlone(version),
    };
  } finally {
    off();
    await session.dispose();
  }
}

const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;
const mark = (ok: boolean): string => (ok ? 'met   ' : 'MISSED');

export function reportPool(results: PoolBench[], say: (line?: string) => void): void {
  say(`Process pool at N = ${WORKERS} (lesson process-pool through an engine session at ${RATE_HZ} Hz; load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);
  for (const r of results) {
    const f = r.frames;
    const total = r.pssKiB.parent + r.pssKiB.workers;
    say(`   version ${r.version}:`);
    say(`   ${mark(r.blockedMs < START_BUDGET_MS)} every worker asleep in read: ${ms(r.blockedMs)} after the step began (budget ${ms(START_BUDGET_MS)}); ${r.blocked}/${WORKERS} seen; the step itself took ${ms(r.startMs)}`);
    say(`          with no session sampling meanwhile (a parent actor alone): ${ms(r.alone.blockedMs)}, the parent's CPU ${ms(r.alone.parentCpuMs)}`);
    say(
      `          CPU time until then (what a busy machine cannot stretch): parent actor ${ms(r.cpuMs.parent)} (pipe2 + posix_spawn + close, ${WORKERS}x), workers ${ms(r.cpuMs.workers)} together (after exec; /proc counts it in 10 ms ticks per process, so most round to 0), engine ${ms(r.cpuMs.engine)} (sampling at ${RATE_HZ} Hz meanwhile)`,
    );
    const b = r.burst;
    say(
      `          meanwhile ${b.frames} frames (${(b.frames / (r.blockedMs / 1000)).toFixed(1)} a second), at most ${b.unreadMax.inScope} of the lesson's tables and ${b.unreadMax.outside} other processes' left unread in a frame; every table read ${ms(b.readAllMs)} after the step began (engine CPU until then ${ms(b.engineCpuMs)})`,
    );
    say(`   ${mark(total < PSS_BUDGET_KIB)} PSS of the lesson's processes: ${mib(total)} (parent actor ${mib(r.pssKiB.parent)}, ${WORKERS} workers ${mib(r.pssKiB.workers)}, ${(r.pssKiB.workers / WORKERS).toFixed(0)} KiB each) (budget ${mib(PSS_BUDGET_KIB)}); the engine itself ${mib(r.pssKiB.engine)}`);
    const keepsUp = f.count >= f.expected * 0.9 && f.lastThird <= f.firstThird * 1.2;
    say(
      `   ${mark(keepsUp)} frames at ${RATE_HZ} Hz, every table read: ${f.count} of ${f.expected} in ${WINDOW_MS / 1000} s; interval median ${ms(f.intervalMs[0])}, p95 ${ms(f.intervalMs[1])}, max ${ms(f.intervalMs[2])}; first third ${ms(f.firstThird)} vs last third ${ms(f.lastThird)}; sampling ${ms(f.sampleMs[0])} median, ${ms(f.sampleMs[1])} p95 for ${f.processes} processes`,
    );
    for (const line of wireCostLines(r.wire)) say(`          ${line}`);
    say(`          lesson.stop took ${ms(r.cleanupMs)}; workers left afterwards: ${r.left}`);
  }
}

if (process.argv[1]?.endsWith('pool-1000.ts')) {
  const asked = process.argv[2];
  const versions: ('closes' | 'keeps')[] = asked === 'keeps' || asked === 'closes' ? [asked] : ['closes', 'keeps'];
  const results: PoolBench[] = [];
  for (const version of versions) results.push(await measurePool(version));
  reportPool(results, (line = '') => process.stdout.write(`${line}\n`));
}
