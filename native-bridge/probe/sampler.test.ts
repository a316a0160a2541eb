import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Sampler, WATCH_SAMPLER_OPTIONS } from './sampler';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function kernelState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}
async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the watch Sampler between full refreshes', () => {
  it('follows state changes the kernel shows at once (S -> T -> S), though it skips re-reading processes that did not run', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(sleeper);
    const pid = sleeper.pid!;
    await until('sleep asleep', () => readFileSync(`/proc/${pid}/wchan`, 'latin1') === 'hrtimer_nanosleep');
    // a long refresh period: every tick below goes through the schedstat fast path
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 60_000 });
    try {
      const first = sampler.sample({ pids: [pid] }).processes[0]!;
      expect(first.blocked).toMatchObject({ op: 'sleep', wchan: 'hrtimer_nanosleep' });
      for (let i = 0; i < 5; i++) expect(sampler.sample({ pids: [pid] }).processes[0]!.state).toBe('S');

      process.kill(pid, 'SIGSTOP');
      await until('the kernel to show it stopped', () => kernelState(pid) === 'T');
      expect(sampler.sample({ pids: [pid] }).processes[0]!.state).toBe('T');

      process.kill(pid, 'SIGCONT');
      await until('the kernel to show it asleep again', () => kernelState(pid) === 'S');
      const again = sampler.sample({ pids: [pid] }).processes[0]!;
      expect(again.state).toBe('S');
      expect(again.blocked?.wchan).toBe(readFileSync(`/proc/${pid}/wchan`, 'latin1'));
    } finally {
      sampler.close();
    }
  });
});
