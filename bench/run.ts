/**
 * `npm run bench`: how ipcscope's probe compares with lsof and ss on the same
 * states, what watching costs, and whether watching slows the watched. Prints
 * a readable report of ratios; nothing here is a test assertion.
 */
import { availableParallelism, loadavg, release } from 'node:os';
import { markInheritedCloexec } from '../native-bridge/libc/fd-hygiene';
import { WATCH_SAMPLER_OPTIONS } from '../native-bridge/probe/index';
import { stopScanPool } from '../native-bridge/probe/pool/scan-pool';
import { Interrupted, cleanUpEverything, trackedCount } from './bench-children';
import { BenchState } from './bench-state';
import { measureObserveCost, measureTimerFloor, observeCostLines, observeCostVerdict, processCount, timerFloorLine, type ObserveCost } from './observe-cost';
import { mapVerdicts, measureMapFrames, printMapRuns, stopMapPools, type MapRun } from './map-frames';
import { measureObserverEffect, type ObserverEffect } from './observer-effect';
import { measurePool, reportPool, type PoolBench } from './pool-1000';
import { compareScans, type ScanTimes } from './scan-compare';
import { measureTicks, measureTimerAlone, settle, type TickCost } from './tick-cost';
import { available, ms, pad, ratio } from './timing';

const SIZES = [0, 100, 1000];
const ROUNDS = 3;
const TICK_SECONDS = 3;
const WINDOW_MS = 500;
const OBSERVED_WINDOWS = 24;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function header(tools: { lsof: boolean; ss: boolean }): void {
  say('ipcscope benchmark');
  say('==================');
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  say(`Linux ${release()}, ${availableParallelism()} cores, Node ${process.versions.node}; ${new Date().toISOString()}; load ${load}`);
  say('');
  say('What is measured (ratios on this machine and this run, not absolute claims):');
  say(`1. Whole-machine scan. The same state at ${SIZES.join(', ')} extra processes (\`sleep\`, each holding both`);
  say('   ends of its own pipe; every 4th also both ends of a Unix socketpair). On each state, alternately:');
  say('   - snapshot: takeSnapshot({all}) in this process, warm, holders only (no peek/maps/signals),');
  say(`     median of ${ROUNDS * 3}: what a process taking snapshot after snapshot gets. Its scan-pool workers`);
  say('     are started (from 128 processes up they scan beside this thread); each process\'s /proc files and');
  say('     pidfd are kept open between snapshots and re-read with pread; and a process whose CPU clock has not');
  say('     moved since the previous snapshot has not run, so its syscall, wait and descriptors are not read');
  say('     again: only that it and its parent still live, and the fill of each pipe it reads from, afresh;');
  say('     "first" is the first such snapshot after the held files were closed: every process read in full;');
  say('     the held files are closed while the other tools run (they would read them all too);');
  say('     "1 thread" is the same with every read on this thread (parallel: false), as in a one-shot process;');
  say(`     "full" adds peek 64 B, maps and signal masks (median of ${ROUNDS});`);
  say('   - cli: `ipcscope snapshot --all --json --peek 0 --no-maps`, a cold process (Node start-up, the bundled CLI);');
  say('   - `lsof -n +E` and `ss -xpa`, output discarded; median of ' + ROUNDS + ' each.');
  say('   Each is timed in wall time and in CPU time (process.cpuUsage for the in-process snapshot,');
  say('   getrusage(RUSAGE_CHILDREN) for the commands): on a busy machine wall times stretch with the');
  say('   run queue while CPU times stay comparable, so read both.');
  say('   Targets: snapshot >= 10x faster than lsof, and no slower than `ss -xpa`, at every size.');
  say(`2. Tick cost: a Sampler ticking at 60 Hz over 32 watched processes for ${TICK_SECONDS} s, after a settling`);
  say('   second (garbage collected); CPU time of this process (user+system, process.cpuUsage) / wall');
  say('   time = share of one core, the timer\'s wake-ups included. The timer alone (an empty callback at');
  say('   60 Hz) is measured just before: the floor under any 60 Hz tick on this machine. Target < 3%.');
  say('3. Observer effect: a dd writer -> dd reader pair streaming through a pipe, then a socketpair, in');
  say(`   ${WINDOW_MS} ms windows, unobserved and observed at 60 Hz (as the app ticks: fill, peek 256 B, maps, signal`);
  say(`   masks) in turn, ${OBSERVED_WINDOWS} observed windows each between two unobserved ones, and as many control`);
  say('   windows (the same timer with an empty callback: its cost, and the run\'s noise), and as many spin');
  say('   windows (the same timer spinning, with no syscall, as long as a sample takes: the observer\'s CPU');
  say('   time alone, without its reads of the kernel objects); throughput from the');
  say('   bytes the reader has read (/proc/PID/io rchar, read at the window edges). Ratio: median over the');
  say('   observed windows of observed / mean of the two unobserved neighbours (ratio of medians shown too).');
  say('   Neighbouring windows share the machine\'s drift, which varies a pipe\'s throughput by a third');
  say('   from one whole run to the next here. Target >= 0.95.');
  say('4. Observing the whole machine: 1000 extra idle processes (`sleep`, started for it, killed after);');
  say('   a Sampler set up as the app\'s observation is (WATCH_SAMPLER_OPTIONS, no peek, /proc/PID/io, diagnoses)');
  say('   samples {all: true} at 10 Hz for 10 s after 3 s of warming up, in a process of its own run from a');
  say('   bundle as the desktop app runs its engine (bench/observe-bundle.ts); that process\'s CPU time (getrusage');
  say('   RUSAGE_SELF: every thread) / wall time = share of one core. Other processes that run (on a shared');
  say('   machine: other users\' busy processes) are re-read and count in: the same is measured at +0 first, and the');
  say('   difference is what the idle processes add. Also the diagnose pass alone, and an empty 10 Hz timer in');
  say('   plain Node and under tsx (what the browser mode, run through tsx, adds). Target < 5%.');
  say('5. Process pool (bench/pool-1000.ts): the process-pool lesson at 1000 workers, both versions, through an');
  say('   engine session at 30 Hz: time until every worker sleeps in read (budget 5 s), PSS of the lesson\'s');
  say('   processes from /proc/PID/smaps_rollup (budget 1 GiB), frames at 30 Hz over 6 s with every worker asleep.');
  say('6. System map (bench/map-frames.ts): real frames of 10, 100 and 1000 processes replayed at 30 Hz into the');
  say('   built renderer in headless Chromium: frame time (budget median 16.7 ms, p95 25 ms at 1000) and frame');
  say('   arrival to first paint (p95 budget 25 ms at 10, 50 ms at 1000).');
  const busy = loadavg()[0]! / availableParallelism();
  if (busy > 1) {
    say(`   NOTE: the machine is busy (load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores): wall times and`);
    say('   throughput ratios are noisy in this run; CPU times are the steadier guide.');
  }
  if (!tools.lsof) say('   lsof is not installed: its comparison is skipped (apt-get install -y lsof).');
  if (!tools.ss) say('   ss is not installed: its comparison is skipped (apt-get install -y iproute2).');
  say('');
}

function scanRows(rows: ScanTimes[], which: 'wallMs' | 'cpuMs'): void {
  const head = ['extra', 'snapshot', 'first', '1 thread', 'full', 'cli', 'lsof -n +E', 'ss -xpa', 'lsof/snap', 'lsof/first', 'ss/snap'];
  const widths = [8, 11, 11, 11, 11, 11, 12, 11, 11, 12, 8];
  say(`   ${head.map((h, i) => pad(h, widths[i]!)).join('')}`);
  for (const row of rows) {
    const snap = row.snapshot[which];
    const lsof = row.lsof?.[which] ?? NaN;
    const ss = row.ss?.[which] ?? NaN;
    const first = row.first[which];
    const cells = [`${row.size}`, ms(snap), ms(first), ms(row.oneThread[which]), ms(row.fullSnapshot[which]), ms(row.cli[which]), ms(lsof), ms(ss), ratio(lsof / snap), ratio(lsof / first), ratio(ss / snap)];
    say(`   ${cells.map((c, i) => pad(c, widths[i]!)).join('')}`);
  }
}

function scanTable(rows: ScanTimes[]): void {
  say('1. Whole-machine scan');
  say('   wall time (median)');
  scanRows(rows, 'wallMs');
  say('   CPU time (median)');
  scanRows(rows, 'cpuMs');
  say('   what the snapshot saw of the benchmark\'s own holders:');
  for (const row of rows) {
    say(`   +${row.size}: ${row.processesSeen} of ${row.size} processes, ${row.holdersSeen} descriptors named as holders; ${row.objectsSeen} objects on the machine`);
  }
  say('');
}

function verdicts(scans: ScanTimes[], ticks: TickCost[], timerAlone: TickCost | null, effects: ObserverEffect[], observe: [ObserveCost, ObserveCost] | null): void {
  say('Targets');
  for (const row of scans) {
    if (row.lsof) {
      const r = row.lsof.wallMs / row.snapshot.wallMs;
      const cpu = row.lsof.cpuMs / row.snapshot.cpuMs;
      say(`   ${r >= 10 ? 'met   ' : 'MISSED'} snapshot vs lsof at +${row.size}: ${ratio(r)} faster in wall time, ${ratio(cpu)} in CPU time (target >= 10x)`);
      say(`          (the first, every process read: ${ratio(row.lsof.wallMs / row.first.wallMs)} in wall time, ${ratio(row.lsof.cpuMs / row.first.cpuMs)} in CPU time)`);
    }
    if (row.ss) {
      const r = row.ss.wallMs / row.snapshot.wallMs;
      const cpu = row.ss.cpuMs / row.snapshot.cpuMs;
      say(`   ${r >= 1 ? 'met   ' : 'MISSED'} snapshot vs ss -xpa at +${row.size}: ${ratio(r)} in wall time, ${ratio(cpu)} in CPU time (target >= 1x)`);
    }
  }
  const main = ticks[0];
  if (main) {
    const share = Math.max(main.coreShare, main.projectedShare);
    const floor = timerAlone ? `; the timer alone ${(timerAlone.coreShare * 100).toFixed(2)}%` : '';
    say(`   ${share < 0.03 ? 'met   ' : 'MISSED'} 60 Hz tick over 32 processes: ${(share * 100).toFixed(2)}% of a core, timer included (target < 3%${floor})`);
  }
  for (const effect of effects) {
    const slow = effect.achievedHz < 50 ? ` (but the observer reached only ${effect.achievedHz.toFixed(0)} Hz)` : '';
    say(`   ${effect.ratio >= 0.95 ? 'met   ' : 'MISSED'} observer effect, ${effect.channel}: ${effect.ratio.toFixed(3)} of unobserved throughput (target >= 0.95)${slow}`);
    say(`          (windows' quartiles ${effect.ratioQuartiles.map((q) => q.toFixed(3)).join(' to ')}; the timer alone: ${effect.controlRatio.toFixed(3)}; the same CPU time spun: ${effect.spinRatio.toFixed(3)})`);
  }
  if (observe) say(observeCostVerdict(observe[1], observe[0]));
}

async function main(): Promise<void> {
  markInheritedCloexec();
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\nbench: interrupted, cleaning up...\n');
    stopMapPools();
    void cleanUpEverything().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const tools = { lsof: available('lsof', '-v'), ss: available('ss', '-V') };
  header(tools);
  const scans: ScanTimes[] = [];
  const ticks: TickCost[] = [];
  const effects: ObserverEffect[] = [];
  const state = new BenchState();
  try {
    for (const size of SIZES) {
      const started = performance.now();
      await state.growTo(size);
      process.stderr.write(`bench: ${size} holders ready in ${ms(performance.now() - started)}, scanning...\n`);
      const pids = new Set(state.pids());
      scans.push(await compareScans(size, pids, tools, ROUNDS));
    }
    scanTable(scans);
    await state.tearDown();
    // the pool's workers and held files served the scans; the ticks below are a watching process's own
    stopScanPool();

    say('2. Tick cost (60 Hz, 32 watched processes)');
    await state.growTo(32);
    const watched = state.pids();
    await settle();
    const timerAlone = await measureTimerAlone(TICK_SECONDS);
    ticks.push(await measureTicks('as the app ticks (WATCH_SAMPLER_OPTIONS: peek 256 B, maps, signals, holders)', watched, WATCH_SAMPLER_OPTIONS, TICK_SECONDS));
    ticks.push(await measureTicks('every table re-read every tick (peek 256 B, maps, signals, holders)', watched, {}, TICK_SECONDS));
    ticks.push(await measureTicks('no peek, no maps, no signals', watched, { peekBytes: 0, readMaps: false, readSignals: false }, TICK_SECONDS));
    ticks.push(await measureTicks('same, other holders not searched (completeHolders: false)', watched, { peekBytes: 0, readMaps: false, readSignals: false, completeHolders: false }, TICK_SECONDS));
    say('   measured share  at 60 Hz  sample()   achieved  sampler');
    for (const tick of ticks) {
      const cells = [
        pad(`${(tick.coreShare * 100).toFixed(2)}%`, 16),
        pad(`${(tick.projectedShare * 100).toFixed(2)}%`, 10),
        pad(ms(tick.sampleMs), 11),
        pad(`${tick.achievedHz.toFixed(1)} Hz`, 10),
        tick.label,
      ];
      say(`   ${cells.join('')}`);
    }
    say('   (at 60 Hz: CPU per tick x 60, what ticking at the full rate would cost when the timer falls behind)');
    say(`   ${pad(`${(timerAlone.coreShare * 100).toFixed(2)}%`, 16)}${pad('', 10)}${pad('', 11)}${pad(`${timerAlone.achievedHz.toFixed(1)} Hz`, 10)}${timerAlone.label}, just before`);
    await state.tearDown();
    say('');

    say(`3. Observer effect (MiB/s per ${WINDOW_MS} ms window)`);
    for (const channel of ['pipe', 'socketpair'] as const) {
      process.stderr.write(`bench: observer effect through a ${channel}...\n`);
      const effect = await measureObserverEffect(channel, WINDOW_MS, OBSERVED_WINDOWS);
      effects.push(effect);
      const list = (values: number[]): string => values.map((v) => v.toFixed(0)).join(' ');
      say(`   ${channel}: observed / neighbours ${effect.ratio.toFixed(3)}, of medians ${effect.ratioOfMedians.toFixed(3)} (${effect.mebibytes} MiB read, observer at ${effect.achievedHz.toFixed(1)} Hz)`);
      say(`     control (the timer alone) / neighbours ${effect.controlRatio.toFixed(3)}`);
      say(`     spin (the same CPU time, no syscall) / neighbours ${effect.spinRatio.toFixed(3)}; CPU per tick ${effect.cpuPerTickUs.observed.toFixed(0)} µs observed, ${effect.cpuPerTickUs.spin.toFixed(0)} µs spinning`);
      say(`     unobserved ${list(effect.unobserved)}`);
      say(`     observed   ${list(effect.observed)}`);
      say(`     control    ${list(effect.control)}`);
      say(`     spin       ${list(effect.spin)}`);
    }
    say('');
    say(`4. Observing the whole machine at 10 Hz (${processCount()} processes before)`);
    process.stderr.write('bench: observing the whole machine with 1000 idle processes...\n');
    const observeBase = await measureObserveCost(0, 10);
    const observe = await measureObserveCost(1000, 10);
    for (const line of [...observeCostLines(observeBase), ...observeCostLines(observe)]) say(line);
    say(timerFloorLine(await measureTimerFloor()));
    say('');
    verdicts(scans, ticks, timerAlone, effects, [observeBase, observe]);
    process.stderr.write('bench: the process pool at 1000 workers...\n');
    const pools: PoolBench[] = [];
    for (const version of ['closes', 'keeps'] as const) pools.push(await measurePool(version));
    reportPool(pools, say);
    say('');
    // The map's own section: its real frames come from pools it starts and stops itself.
    let mapRuns: MapRun[] = [];
    try {
      mapRuns = await measureMapFrames((line) => process.stderr.write(`${line}\n`));
      printMapRuns(mapRuns, say);
    } catch (error) {
      say(`6. System map: not measured (${error instanceof Error ? error.message : String(error)})`);
    }
    say('');
    mapVerdicts(mapRuns, say);
  } finally {
    await state.tearDown();
    await cleanUpEverything();
  }
  say('');
  say(`Clean-up: ${trackedCount()} benchmark processes left.`);
}

main().catch(async (error: unknown) => {
  if (error instanceof Interrupted) return; /* the signal handler cleans up and exits */
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  await cleanUpEverything();
  process.exitCode = 1;
});
