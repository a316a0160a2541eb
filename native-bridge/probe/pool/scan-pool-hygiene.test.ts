/**
 * What the scan pool must not change: under whole-machine snapshots scanned
 * by the pool, a reader still gets EOF, a writer still gets SIGPIPE, a FIFO
 * open() still waits and queued bytes stay queued; the pool leaves no
 * descriptor behind and marks none inheritable; and it never keeps a process
 * alive or hangs its exit.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markInheritedCloexec } from '../../libc/fd-hygiene';
import { FD_CLOEXEC, F_GETFD, native } from '../../libc/libc';
import type { PipeObject, Snapshot } from '../../model/snapshot-types';
import { takeSnapshot } from '../sampler';
import { HELD_IDLE_MS, MIN_POOLED_PROCESSES, closeHeldFiles, lastScanSplit, stopScanPool, warmScanPool } from './scan-pool';
import { TestProcesses, exited, fillMachine, until, wchan } from '../testing/scan-pool-test-support';

const ROOT = new URL('../../../', import.meta.url).pathname;
const processes = new TestProcesses();
const filler = new TestProcesses();

let taken = 0;

/*
 * On a loaded machine (two busy cores, a thousand more processes) a pooled
 * whole-machine snapshot takes a few hundred ms and a tsx start-up several
 * seconds: the waits below are bounded generously, and each test's timeout
 * leaves room for them. Nothing here asserts speed.
 */
const WAIT_MS = 60_000;
const TEST_MS = 120_000;
/** A script that has not ended after this long hangs (spawnSync's SIGTERM shows it). */
const SCRIPT_MS = 60_000;

/**
 * A whole-machine snapshot through the pool. Every other one starts from
 * closed files, so it reads every process in full across the workers; the
 * ones between find the processes that have not run as the last one left
 * them, and only measure their pipes again (idle-scans.ts).
 */
function pooledSnapshot(peekBytes = 0): Snapshot {
  if (taken++ % 2 === 0) closeHeldFiles();
  return takeSnapshot({ all: true }, { peekBytes, readMaps: false, readSignals: false });
}

/** Counts the snapshots the workers took part in and those that reused idle processes. */
class Paths {
  pooled = 0;
  reused = 0;

  count(): void {
    const split = lastScanSplit();
    if ((split?.byWorkers ?? 0) > 0) this.pooled++;
    if ((split?.reused ?? 0) > 0) this.reused++;
  }

  /** At least `n` of each. */
  both(n: number): boolean {
    return this.pooled >= n && this.reused >= n;
  }
}

/** Takes pooled snapshots back to back (~60 Hz) until the returned stop() is called. */
function observe(peekBytes = 0): { stop: () => void; paths: Paths } {
  const paths = new Paths();
  const timer = setInterval(() => {
    pooledSnapshot(peekBytes);
    paths.count();
  }, 1000 / 60);
  return { stop: () => clearInterval(timer), paths };
}

beforeAll(async () => {
  markInheritedCloexec();
  await fillMachine(filler, MIN_POOLED_PROCESSES + 32);
  expect(await warmScanPool(1)).toBe(1);
}, TEST_MS);

afterEach(async () => {
  await processes.cleanUp();
});

afterAll(async () => {
  stopScanPool();
  await filler.cleanUp();
}, TEST_MS);

describe('observed through the scan pool', () => {
  it('a reader still gets EOF when the last writer closes', async () => {
    const [r, w] = processes.pipe();
    const cat = processes.start('cat', [], [r, 'ignore', 'ignore']);
    processes.close(r);
    await until('cat blocked', () => wchan(cat.pid!) === 'anon_pipe_read', WAIT_MS);
    const watch = observe();
    try {
      await until('pooled snapshots, read in full and reused', () => watch.paths.both(3), WAIT_MS);
      processes.close(w);
      expect(await exited(cat)).toEqual({ code: 0, signal: null });
    } finally {
      watch.stop();
    }
  }, TEST_MS);

  it('a writer still gets SIGPIPE when the last reader closes', async () => {
    const [r, w] = processes.pipe();
    const yes = processes.start('yes', [], ['ignore', w, 'ignore']);
    processes.close(w);
    await until('yes blocked on the full pipe', () => wchan(yes.pid!) === 'anon_pipe_write', WAIT_MS);
    const watch = observe();
    try {
      await until('pooled snapshots, read in full and reused', () => watch.paths.both(3), WAIT_MS);
      processes.close(r);
      expect(await exited(yes)).toEqual({ code: null, signal: 'SIGPIPE' });
    } finally {
      watch.stop();
    }
  }, TEST_MS);

  it('a FIFO open() keeps waiting for its other end', async () => {
    const path = join(processes.tempDir(), 'fifo');
    expect(native.mkfifo(path, 0o600)).toBe(0);
    const inode = statSync(path).ino;
    const writer = processes.start('sh', ['-c', `exec 3>${path}; echo sent >&3`], ['ignore', 'ignore', 'ignore']);
    await until('writer waiting in open', () => wchan(writer.pid!) === 'wait_for_partner', WAIT_MS);
    // at least ten snapshots, and on until the workers took part in one and one reused the waiting writer
    const paths = new Paths();
    for (let i = 0; i < 200 && (i < 10 || !paths.both(1)); i++) {
      const snapshot = pooledSnapshot();
      paths.count();
      expect(snapshot.processes.find((p) => p.pid === writer.pid)?.blocked).toMatchObject({ op: 'open', object: `fifo:${inode}` });
    }
    expect(paths.both(1)).toBe(true);
    expect(wchan(writer.pid!)).toBe('wait_for_partner');
  }, TEST_MS);

  it('queued bytes are peeked and stay for the real reader', async () => {
    const [r, w] = processes.pipe();
    const [outR, outW] = processes.pipe();
    const [goR, goW] = processes.pipe();
    // the reader waits on a second pipe before it reads, so the bytes stay queued
    const reader = processes.start('sh', ['-c', 'read _ <&3; exec cat'], [r, outW, 'ignore', goR]);
    for (const fd of [r, outW, goR]) processes.close(fd);
    expect(native.write(w, Buffer.from('hello world\n'), 12)).toBe(12);
    const inode = statSync(`/proc/self/fd/${w}`).ino;
    await until('the shell waiting on the go pipe', () => wchan(reader.pid!) === 'anon_pipe_read', WAIT_MS);
    const paths = new Paths();
    for (let i = 0; i < 200 && (i < 5 || !paths.both(1)); i++) {
      const object = pooledSnapshot(64).objects.find((o) => o.id === `pipe:${inode}`) as PipeObject;
      paths.count();
      expect(object.queued).toBe(12);
      expect(Buffer.from(object.peek!, 'base64').toString()).toBe('hello world\n');
    }
    expect(paths.both(1)).toBe(true);
    native.write(goW, Buffer.from('go\n'), 3);
    processes.close(w);
    expect(await exited(reader)).toEqual({ code: 0, signal: null });
    const out = Buffer.alloc(64);
    expect(out.subarray(0, native.read(outR, out, 64)).toString()).toBe('hello world\n');
  }, TEST_MS);

  it('borrows nothing past a snapshot, keeps only /proc files and pidfds, closes them when stopped, and marks none inheritable', async () => {
    // starting a worker adds descriptors (its event loop's): none of them inheritable
    stopScanPool();
    const beforePool = descriptors();
    const inheritable = beforePool.filter(([, cloexec]) => !cloexec);
    expect(await warmScanPool(1)).toBe(1);
    expect(descriptors().filter(([, cloexec]) => !cloexec)).toEqual(inheritable);
    pooledSnapshot();
    const before = new Set(descriptors().map(([fd]) => fd));
    // ten snapshots the worker took part in (on a busy machine this thread may claim every chunk first), ten reusing idle processes
    const paths = new Paths();
    for (let i = 0; i < 500 && !paths.both(10); i++) {
      pooledSnapshot(64);
      paths.count();
    }
    expect(paths.both(10)).toBe(true);
    // what is new since is held for processes that appeared meanwhile: never a borrowed pipe or socket
    const added = descriptors().filter(([fd]) => !before.has(fd));
    expect(added.filter(([fd, cloexec]) => !cloexec || !isHeldKind(fd))).toEqual([]);
    stopScanPool();
    const heldNow = descriptors().filter(([fd]) => isHeldKind(fd)).map(([fd]) => fd);
    expect(heldNow).toEqual(beforePool.filter(([fd]) => isHeldKind(fd)).map(([fd]) => fd));
  }, TEST_MS);
});

describe('files the pool keeps open', () => {
  it('are closed once whole-machine snapshots stop coming', async () => {
    const heldNow = (): number[] => descriptors().filter(([fd]) => isHeldKind(fd)).map(([fd]) => fd);
    stopScanPool();
    const beforePool = heldNow();
    expect(await warmScanPool(1)).toBe(1);
    pooledSnapshot();
    pooledSnapshot();
    expect(heldNow().length).toBeGreaterThan(beforePool.length + MIN_POOLED_PROCESSES);
    // closed HELD_IDLE_MS after the last snapshot, by a timer a loaded machine may run late
    await new Promise((resolve) => setTimeout(resolve, HELD_IDLE_MS));
    await until('the held files closed', () => heldNow().length === beforePool.length, WAIT_MS);
    expect(heldNow()).toEqual(beforePool);
  }, TEST_MS);
});

/**
 * A /proc/PID file or a pidfd: what the pool keeps open between snapshots
 * (for this process too: its wchan and syscall once a worker finds it asleep).
 */
function isHeldKind(fd: number): boolean {
  try {
    const target = readlinkSync(`/proc/self/fd/${fd}`);
    return target === 'anon_inode:[pidfd]' || /^\/proc\/\d+\//.test(target);
  } catch {
    return false;
  }
}

describe('the pool and the life of its process', () => {
  /** Runs a script that takes whole-machine snapshots with the pool, then ends as `ending` says. */
  function runScript(ending: string): { status: number | null; signal: string | null; stdout: string } {
    const file = join(processes.tempDir(), 'script.mts');
    const url = (name: string): string => JSON.stringify(new URL(`./${name}`, import.meta.url).href);
    writeFileSync(
      file,
      `const { takeSnapshot } = await import(${url('../sampler.ts')});
const { lastScanSplit, warmScanPool } = await import(${url('scan-pool.ts')});
const lean = { peekBytes: 0, readMaps: false, readSignals: false };
${ending}
`,
    );
    // a hang would show as the timeout's SIGTERM
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8', timeout: SCRIPT_MS });
    return { status: run.status, signal: run.signal, stdout: run.stdout };
  }

  it('does not keep a process alive once its work is done', () => {
    const run = runScript(`await warmScanPool(1); takeSnapshot({ all: true }, lean); console.log(lastScanSplit().byWorkers > 0);`);
    expect(run).toEqual({ status: 0, signal: null, stdout: 'true\n' });
  }, TEST_MS);

  it('ends with process.exit, with a job done or a worker still starting', () => {
    expect(runScript(`await warmScanPool(1); takeSnapshot({ all: true }, lean); process.exit(3);`)).toMatchObject({ status: 3, signal: null });
    // the second whole-machine snapshot starts the pool; the process ends while the worker loads
    expect(runScript(`takeSnapshot({ all: true }, lean); takeSnapshot({ all: true }, lean); process.exit(4);`)).toMatchObject({ status: 4, signal: null });
    expect(runScript(`takeSnapshot({ all: true }, lean); takeSnapshot({ all: true }, lean);`)).toMatchObject({ status: 0, signal: null });
  }, 3 * SCRIPT_MS + TEST_MS);
});

/** This process's descriptors, with whether each is close-on-exec. */
function descriptors(): Array<[number, boolean]> {
  return readdirSync('/proc/self/fd')
    .map(Number)
    .map((fd): [number, number] => [fd, native.fcntlInt(fd, F_GETFD, 0)])
    .filter(([, flags]) => flags >= 0) // the directory listing's own descriptor, closed by now
    .map(([fd, flags]): [number, boolean] => [fd, (flags & FD_CLOEXEC) !== 0])
    .sort((a, b) => a[0] - b[0]);
}
