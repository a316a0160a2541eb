/**
 * /proc files kept open between whole-machine snapshots: every snapshot still
 * shows what the kernel says at that moment (a new syscall, a new program
 * after exec, a new descriptor), a process that exits has everything held
 * for it closed, and the table never holds more than its budget.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../libc/libc';
import { readFdTable } from './fd-table';
import { HeldProcTable } from './held-proc-table';
import { TableProcFiles } from './proc-files';
import { ScanPool } from '../pool/scan-pool';
import { TestProcesses, exited, until, wchan } from '../testing/scan-pool-test-support';

const ENTRY = new URL('../pool/scan-worker-entry.mjs', import.meta.url);
const LEAN = { peekBytes: 0, readMaps: false, readSignals: false };
const processes = new TestProcesses();
const pools: ScanPool[] = [];

/** A pool on this thread alone that keeps /proc files open between scans. */
function holdingPool(): ScanPool {
  const pool = new ScanPool(ENTRY, 0, 5000, true);
  pools.push(pool);
  return pool;
}

/** What this process holds open under /proc/PID (PID given). */
function heldFor(pid: number): string[] {
  const held: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(`/proc/${pid}/`)) held.push(target);
    } catch {
      // the descriptor readdir itself used, closed since
    }
  }
  return held.sort();
}

afterEach(async () => {
  for (const pool of pools.splice(0)) pool.close();
  await processes.cleanUp();
});

describe('a pool that keeps /proc files open between scans', () => {
  it('shows each scan what the kernel says then: a new syscall, a new program after exec, a new descriptor', async () => {
    const [r, w] = processes.pipe();
    // reads a line from the pipe, then becomes `sleep` (same pid) with the pipe still open
    const shell = processes.start('sh', ['-c', 'read line; exec sleep 30'], [r, 'ignore', 'ignore']);
    const pid = shell.pid!;
    await until('sh blocked reading the pipe', () => wchan(pid) === 'anon_pipe_read');
    const pool = holdingPool();
    const first = pool.scan([pid], LEAN).get(pid)!;
    expect(first.comm).toBe('sh');
    expect(first.syscallNr).toBe(0); /* read */
    expect(first.fds.find((fd) => fd.fd === 0)?.target).toMatch(/^pipe:\[\d+\]$/);
    expect(heldFor(pid)).toEqual([`/proc/${pid}/fd`, `/proc/${pid}/stat`, `/proc/${pid}/syscall`, `/proc/${pid}/wchan`]);

    native.write(w, Buffer.from('go\n'), 3);
    await until('sleep running in its place', () => wchan(pid) === 'hrtimer_nanosleep');
    const second = pool.scan([pid], LEAN).get(pid)!;
    expect(second.comm).toBe('sleep');
    expect(second.syscallNr).toBe(230); /* clock_nanosleep */
    expect(second.wchan).toBe('hrtimer_nanosleep');
    // the same files, re-read: nothing opened again
    expect(heldFor(pid)).toEqual([`/proc/${pid}/fd`, `/proc/${pid}/stat`, `/proc/${pid}/syscall`, `/proc/${pid}/wchan`]);
  });

  it('closes what it held for a process once the process is gone from the machine', async () => {
    const sleeper = processes.start('sleep', ['30'], ['ignore', 'ignore', 'ignore']);
    const pid = sleeper.pid!;
    await until('sleep asleep', () => wchan(pid) === 'hrtimer_nanosleep');
    const pool = holdingPool();
    expect(pool.scan([pid], LEAN).get(pid)?.comm).toBe('sleep');
    expect(heldFor(pid).length).toBeGreaterThan(0);
    sleeper.kill('SIGKILL');
    await exited(sleeper);
    // a scan without it (as /proc no longer lists it) closes its files
    pool.scan([], LEAN);
    expect(heldFor(pid)).toEqual([]);
  });

  it('reads its own process without the files it holds, and still finds that process\'s pipes', async () => {
    const sleepers = [1, 2, 3].map(() => processes.start('sleep', ['30'], ['ignore', 'ignore', 'ignore']).pid!);
    const [r, w] = processes.pipe();
    const pool = holdingPool();
    pool.scan([...sleepers, process.pid], LEAN);
    const own = pool.scan([...sleepers, process.pid], LEAN).get(process.pid)!;
    expect(own.fds.find((fd) => fd.fd === r)).toMatchObject({ access: 'r', target: expect.stringMatching(/^pipe:/) });
    expect(own.fds.find((fd) => fd.fd === w)).toMatchObject({ access: 'w', target: expect.stringMatching(/^pipe:/) });
    // what a scan that reads every descriptor finds, the held /proc files being no IPC objects
    // (the scan also measured each pipe's fill through its read end: pipeReading, left out here)
    expect(own.fds.map(({ fd, target, access }) => ({ fd, target, access }))).toEqual(
      readFdTable(process.pid, true).fds.map(({ fd, target, access }) => ({ fd, target, access })),
    );
    expect(heldFor(sleepers[0]!).length).toBeGreaterThan(0);
  });
});

describe('TableProcFiles', () => {
  it('reads a held file afresh, and once its process has exited fails and holds nothing for it', async () => {
    const table = HeldProcTable.create(16);
    const files = new TableProcFiles(table);
    const sleeper = processes.start('sleep', ['30'], ['ignore', 'ignore', 'ignore']);
    const pid = sleeper.pid!;
    expect(files.read(pid, 'stat')).toContain('(sleep)');
    const held = table.get(pid, 'stat');
    expect(held).toBeGreaterThanOrEqual(0);
    await until('sleep asleep', () => files.read(pid, 'wchan') === 'hrtimer_nanosleep');
    expect(table.get(pid, 'stat')).toBe(held);
    sleeper.kill('SIGKILL');
    await exited(sleeper);
    expect(() => files.read(pid, 'stat')).toThrow(/ENOENT|ESRCH/);
    expect(table.get(pid, 'stat')).toBe(-1);
    expect(table.get(pid, 'wchan')).toBe(-1);
    expect(table.held).toBe(0);
    expect(heldFor(pid)).toEqual([]);
  });

  it('holds no more than its budget, and nothing beside a stat it does not hold', () => {
    const table = HeldProcTable.create(2);
    const files = new TableProcFiles(table);
    const me = process.pid;
    expect(files.read(me, 'stat')).toContain(`${me} (`);
    expect(files.read(me, 'syscall')).toMatch(/^running|^\d+/);
    expect(files.read(me, 'wchan')).toBeTypeOf('string'); // read, then closed: the budget is spent
    expect(table.held).toBe(2);
    expect(table.get(me, 'wchan')).toBe(-1);
    expect(heldFor(me)).toEqual([`/proc/${me}/stat`, `/proc/${me}/syscall`]);
    const other = HeldProcTable.create(8);
    const fd = native.open('/proc/self/status', 0o2000000, 0);
    expect(other.hold(me, 'status', fd)).toBe(false);
    native.close(fd);
    table.release(me);
    expect(table.held).toBe(0);
    expect(heldFor(me)).toEqual([]);
  });
});
