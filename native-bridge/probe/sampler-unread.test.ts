/**
 * Tables read a budget at a time (process/table-budget.ts, link-tables.ts):
 * a Sampler whose budget is spent at once reads one table a sample, so its
 * first frames of a 40-worker pool (version keeps: ~800 inherited write
 * ends) say how many tables are not read yet; once every table is read the
 * count is gone and the holders are what /proc shows.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../actor/kernel-wait';
import { processPool } from '../lessons/pool/process-pool';
import { LessonRun, until } from '../lessons/testing/lesson-run';
import { Sampler } from './sampler';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

const N = 40;

/** "pid/fd/r|w" of every descriptor on `pipe:[ino]` among `pids`, access from the flags line of /proc/PID/fdinfo. */
function kernelHolders(pids: number[], ino: number): string[] {
  const found: string[] = [];
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== `pipe:[${ino}]`) continue;
      const flags = parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))![1]!, 8);
      found.push(`${pid}/${fd}/${(flags & 3) === 1 ? 'w' : 'r'}`);
    }
  }
  return found.sort();
}

describe('descriptor tables read a budget at a time', () => {
  it('frames say how many tables are unread; once all are read the count is gone and holders match /proc', async () => {
    run = await LessonRun.start(processPool, { workers: N, version: 'keeps', tasks: 1 });
    expect(await run.step()).toEqual({ index: 0, status: 'done' });
    const pids = run.runner.pids();
    const workers = pids.slice(1);
    await until(() => workers.every((pid) => readKernelWait(pid)?.wchan === 'anon_pipe_read'), 60_000);

    // no time for tables at all: each sample reads one (the passes' progress guarantee)
    const sampler = new Sampler({ fdRefreshMs: 200, tableBudget: { burst: 0, settled: 0, calm: 0 } });
    try {
      const first = sampler.sample({ pids });
      expect(first.unreadTables?.inScope).toBe(pids.length);
      expect(first.processes.every((p) => p.fdsUnread === true && p.fds.length === 0)).toBe(true);
      // and what is unread is still listed: every process, with its wait
      expect(first.processes.map((p) => p.pid).sort()).toEqual([...pids].sort());
      expect(first.processes.filter((p) => workers.includes(p.pid)).every((p) => p.state === 'S')).toBe(true);

      let last = first;
      const counts: number[] = [];
      for (let i = 0; i < 100_000 && last.unreadTables; i++) {
        last = sampler.sample({ pids });
        counts.push(last.unreadTables?.inScope ?? 0);
      }
      expect(last.unreadTables).toBeUndefined();
      // it came down as passes published what they read, never back up
      for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeLessThanOrEqual(counts[i - 1]!);
      expect(last.processes.some((p) => p.fdsUnread)).toBe(false);

      for (const worker of workers) {
        const ino = Number(/pipe:\[(\d+)\]/.exec(readlinkSync(`/proc/${worker}/fd/0`))![1]);
        const object = last.objects.find((o) => o.id === `pipe:${ino}`);
        const shown = (object?.holders ?? []).map((h) => `${h.pid}/${h.fd}/${h.access}`).sort();
        expect(shown, `holders of pipe:[${ino}]`).toEqual(kernelHolders(pids, ino));
      }
    } finally {
      sampler.close();
    }
  }, 180_000);
});
