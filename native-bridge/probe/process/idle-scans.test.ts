/**
 * Repeat scans through a pool that holds /proc files: a process that has not
 * run since its previous scan is not read again, yet every scan still shows
 * what the kernel says then: bytes written meanwhile into a pipe it reads
 * from, the new program and descriptor of a process that has run, the new
 * parent of a process whose parent exited, signal masks read every time.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markInheritedCloexec } from '../../libc/fd-hygiene';
import { FIONREAD, native } from '../../libc/libc';
import { processCpuNs } from '../../libc/cpu-clock';
import { pipeReadingOf } from '../kinds/pipes/pipe-reading';
import type { ProbeOptions } from '../probe-types';
import { ScanPool } from '../pool/scan-pool';
import { TestProcesses, until, wchan } from '../testing/scan-pool-test-support';

const ENTRY = new URL('../pool/scan-worker-entry.mjs', import.meta.url);
const LEAN: ProbeOptions = { peekBytes: 0, readMaps: false, readSignals: false };
const processes = new TestProcesses();
const pools: ScanPool[] = [];
const strays: number[] = [];

/** A pool on this thread alone that keeps /proc files open between scans. */
function holdingPool(): ScanPool {
  const pool = new ScanPool(ENTRY, 0, 5000, true);
  pools.push(pool);
  return pool;
}

function statFields(pid: number): { state: string; ppid: number } {
  const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// descriptors this test process inherited would show up in every child (KERNEL-FACTS)
beforeAll(() => markInheritedCloexec());

afterEach(async () => {
  for (const pool of pools.splice(0)) pool.close();
  for (const pid of strays.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  await until('the reparented processes gone', () => strays.every((pid) => !alive(pid)));
  await processes.cleanUp();
});

describe('repeat scans of processes that have not run', () => {
  it('reads a sleeping process once, and the pipe it reads from afresh every time', async () => {
    const [r, w] = processes.pipe();
    const sleeper = processes.start('sleep', ['60'], [r, 'ignore', 'ignore']);
    processes.close(r);
    const pid = sleeper.pid!;
    await until('sleep asleep', () => wchan(pid) === 'hrtimer_nanosleep');
    const pool = holdingPool();
    const first = pool.scan([pid], LEAN).get(pid)!;
    expect(pool.lastSplit?.reused).toBe(0);
    expect(pipeReadingOf(first.fds.find((fd) => fd.fd === 0)!)?.queued).toBe(0);

    // another process (this one) writes: the sleeper does not run, the pipe's fill changes
    const clock = processCpuNs(pid);
    expect(native.write(w, Buffer.from('seven b'), 7)).toBe(7);
    const second = pool.scan([pid], LEAN).get(pid)!;
    expect(processCpuNs(pid)).toBe(clock);
    expect(pool.lastSplit?.reused).toBe(1);
    const queued = new Int32Array(1);
    expect(native.ioctlInt(w, FIONREAD, queued)).toBe(0);
    expect(queued[0]).toBe(7);
    expect(pipeReadingOf(second.fds.find((fd) => fd.fd === 0)!)?.queued).toBe(7);
    // the rest is what a full read of the kernel shows now
    expect(second.wchan).toBe(wchan(pid));
    expect(second.state).toBe(statFields(pid).state);
    expect(second.fds.map((fd) => fd.target)).toEqual([readlinkSync(`/proc/${pid}/fd/0`)]);
    // the first scan's reading is left as it was read
    expect(pipeReadingOf(first.fds.find((fd) => fd.fd === 0)!)?.queued).toBe(0);
  });

  it('reads a process again once it has run: its new program, descriptor and wait', async () => {
    const [r, w] = processes.pipe();
    // waits for a line, then keeps a second copy of the pipe on fd 3 and becomes `sleep`
    const shell = processes.start('sh', ['-c', 'read line; exec 3<&0; exec sleep 60'], [r, 'ignore', 'ignore']);
    processes.close(r);
    const pid = shell.pid!;
    await until('sh blocked reading the pipe', () => wchan(pid) === 'anon_pipe_read');
    const pool = holdingPool();
    pool.scan([pid], LEAN);
    const still = pool.scan([pid], LEAN).get(pid)!;
    expect(pool.lastSplit?.reused).toBe(1);
    expect(still.comm).toBe('sh');

    expect(native.write(w, Buffer.from('go\n'), 3)).toBe(3);
    await until('sh replaced by sleep', () => wchan(pid) === 'hrtimer_nanosleep');
    const after = pool.scan([pid], LEAN).get(pid)!;
    expect(pool.lastSplit?.reused).toBe(0);
    expect(after.comm).toBe('sleep');
    expect(after.wchan).toBe('hrtimer_nanosleep');
    expect(after.fds.map((fd) => fd.fd)).toEqual([0, 3]);
    expect(after.fds[1]!.target).toBe(readlinkSync(`/proc/${pid}/fd/3`));
  });

  it('reads a process again when its parent has exited: the kernel has given it a new parent', async () => {
    // the shell starts a sleeper in the background, says its pid, and becomes a sleeper itself
    const shell = processes.start('sh', ['-c', 'sleep 60 & echo $!; exec sleep 61'], ['ignore', 'pipe', 'ignore']);
    const parent = shell.pid!;
    let out = '';
    shell.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until('the background pid', () => out.includes('\n'));
    const child = Number(out.trim());
    strays.push(child);
    await until('both asleep', () => wchan(parent) === 'hrtimer_nanosleep' && wchan(child) === 'hrtimer_nanosleep');
    const pool = holdingPool();
    pool.scan([parent, child], LEAN);
    expect(pool.scan([parent, child], LEAN).get(child)!.ppid).toBe(parent);
    expect(pool.lastSplit?.reused).toBe(2);

    const clock = processCpuNs(child);
    shell.kill('SIGKILL');
    await until('the parent reaped', () => !alive(parent));
    await until('the child reparented', () => statFields(child).ppid !== parent);
    const after = pool.scan([child], LEAN).get(child)!;
    expect(processCpuNs(child)).toBe(clock); /* it has not run: only its parent changed */
    expect(pool.lastSplit?.reused).toBe(0);
    expect(after.ppid).toBe(statFields(child).ppid);
    expect(after.ppid).not.toBe(parent);
  });

  it('reads signal masks every time: a signal may be left pending while a process sleeps', async () => {
    const sleeper = processes.start('sh', ['-c', 'trap "" USR1; exec sleep 60'], ['ignore', 'ignore', 'ignore']);
    const pid = sleeper.pid!;
    await until('sleep asleep', () => wchan(pid) === 'hrtimer_nanosleep');
    const pool = holdingPool();
    const withSignals = { ...LEAN, readSignals: true };
    pool.scan([pid], withSignals);
    const again = pool.scan([pid], withSignals).get(pid)!;
    expect(pool.lastSplit?.reused).toBe(0);
    expect(again.signals?.ignored).toContain('SIGUSR1');
  });
});
