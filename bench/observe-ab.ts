/**
 * A/B of what observing the whole machine costs, for two checkouts of
 * ipcscope (e.g. the branch and an unpacked `git archive` of its base, with
 * node_modules linked in): 1000 idle `sleep` processes are started once, then
 * each checkout's Sampler is measured in a fresh process (bench/observe-tick.ts),
 * alternately A B B A ..., so that the machine's load falls on both alike.
 * Prints every run and the medians of CPU ms per tick and share of one core.
 *
 * `node --import tsx bench/observe-ab.ts <checkoutA> <checkoutB> [rounds] [seconds] [extra]`
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { markInheritedCloexec } from '../native-bridge/libc/fd-hygiene';
import { cleanUpEverything, killTracked } from './bench-children';
import { OBSERVE_BUDGET, startSleepers } from './observe-cost';
import type { TickMeasure } from './observe-tick';
import { median } from './timing';

function runOnce(checkout: string, seconds: number): TickMeasure {
  const script = resolve(import.meta.dirname, 'observe-tick.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, checkout, String(seconds)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as TickMeasure;
}

function line(label: string, m: TickMeasure): string {
  return `   ${label} ${m.ticks} ticks, ${m.processes} processes: ${m.perTickMs.toFixed(2)} ms CPU per tick = ${(m.coreShare * 100).toFixed(2)}% of a core (load ${m.load.toFixed(2)})`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  markInheritedCloexec();
  const [a = '.', b = '.', roundsArg = '3', secondsArg = '8', extraArg = '1000'] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  const seconds = Number(secondsArg);
  const stop = (): void => void cleanUpEverything().then(() => process.exit(130));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  void (async () => {
    try {
      const sleepers = await startSleepers(Number(extraArg));
      const runs: Record<'A' | 'B', TickMeasure[]> = { A: [], B: [] };
      process.stdout.write(`Observe A/B at 10 Hz, +${extraArg} idle processes; A = ${a}, B = ${b}; load ${loadavg()[0]!.toFixed(2)}\n`);
      for (let round = 0; round < rounds; round++) {
        const order: ('A' | 'B')[] = round % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
        for (const which of order) {
          const m = runOnce(which === 'A' ? a : b, seconds);
          runs[which].push(m);
          process.stdout.write(`${line(which, m)}\n`);
        }
      }
      await killTracked(sleepers);
      for (const which of ['A', 'B'] as const) {
        const share = median(runs[which].map((m) => m.coreShare));
        const perTick = median(runs[which].map((m) => m.perTickMs));
        process.stdout.write(`   ${which} median: ${perTick.toFixed(2)} ms CPU per tick = ${(share * 100).toFixed(2)}% of a core, ${(share / OBSERVE_BUDGET).toFixed(2)}x the budget\n`);
      }
      const ratio = median(runs.B.map((m) => m.perTickMs)) / median(runs.A.map((m) => m.perTickMs));
      process.stdout.write(`   B / A (CPU per tick, medians): ${ratio.toFixed(2)}\n`);
    } finally {
      await cleanUpEverything();
    }
  })();
}
