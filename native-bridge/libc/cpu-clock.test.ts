import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { processCpuNs } from './cpu-clock';

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('a process CPU clock', () => {
  it('stands still while a process sleeps, moves while it runs, and is null for a PID that does not exist', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const spinner = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    children.push(sleeper, spinner);
    await new Promise((r) => setTimeout(r, 100));
    const asleep = processCpuNs(sleeper.pid!);
    const busy = processCpuNs(spinner.pid!);
    await new Promise((r) => setTimeout(r, 100));
    expect(asleep).not.toBeNull();
    expect(processCpuNs(sleeper.pid!)).toBe(asleep);
    expect(processCpuNs(spinner.pid!)!).toBeGreaterThan(busy!);
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    expect(processCpuNs(gone.pid!)).toBeNull();
    for (const invalid of [0, -1, 0x3fffffff, 1.5]) expect(processCpuNs(invalid)).toBeNull();
  });
});
