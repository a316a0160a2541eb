import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { processCpuNs } from './cpu-clock';

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

const wchan = (pid: number): string => readFileSync(`/proc/${pid}/wchan`, 'latin1');

/** Polled, bounded generously: on a loaded machine a child may wait seconds for a CPU. */
async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a process CPU clock', () => {
  it('stands still while a process sleeps, moves while it runs, and is null for a PID that does not exist', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const spinner = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    children.push(sleeper, spinner);
    /* on a loaded machine `sleep` may still be starting (its clock moving) long after the spawn: wait until the kernel shows it asleep */
    await until('sleep asleep in nanosleep', () => wchan(sleeper.pid!) === 'hrtimer_nanosleep');
    const asleep = processCpuNs(sleeper.pid!);
    const busy = processCpuNs(spinner.pid!);
    expect(asleep).not.toBeNull();
    expect(busy).not.toBeNull();
    /* the spinner's clock moves once it gets a CPU (at once on an idle machine, later on a loaded one): 50 ms of it */
    await until('the spinner to run 50 ms', () => processCpuNs(spinner.pid!)! > busy! + 50e6);
    expect(wchan(sleeper.pid!)).toBe('hrtimer_nanosleep');
    expect(processCpuNs(sleeper.pid!)).toBe(asleep);
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    expect(processCpuNs(gone.pid!)).toBeNull();
    for (const invalid of [0, -1, 0x3fffffff, 1.5]) expect(processCpuNs(invalid)).toBeNull();
  });
});
