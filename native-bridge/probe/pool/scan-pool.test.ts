/**
 * Whole-machine snapshots scanned by the worker pool against the same
 * snapshot taken on the calling thread alone, on processes the test holds in
 * fixed kernel states; and the ways the pool falls back: no worker file, a
 * worker that cannot load, a worker that dies or throws mid-share.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markInheritedCloexec } from '../../libc/fd-hygiene';
import { F_SETPIPE_SZ, native } from '../../libc/libc';
import { makeSocketPair } from '../../libc/sockets';
import type { PipeObject, Snapshot } from '../../model/snapshot-types';
import { takeSnapshot } from '../sampler';
import { MIN_POOLED_PROCESSES, ScanPool, lastScanSplit, stopScanPool, warmScanPool } from './scan-pool';
import { TestProcesses, fakeWorkerEntry, fillMachine, partOf, startSleepers, until, wchan } from '../testing/scan-pool-test-support';

const OPTIONS = { peekBytes: 64, readMaps: true, readSignals: true, signalsEverywhere: true };
const LEAN = { peekBytes: 0, readMaps: false, readSignals: false };
const state = new TestProcesses();
const filler = new TestProcesses();
const scratch = new TestProcesses();
let queuedPipe = 0;

/**
 * The static state: a reader asleep on an empty pipe, a writer asleep on a
 * full one, a sleeper holding a pipe with 5 bytes queued and a resized
 * capacity, a socketpair, a FIFO held open read-write, a writer waiting in
 * open() on a second FIFO.
 */
beforeAll(async () => {
  // descriptors this test process inherited would show up in every child as false holders (KERNEL-FACTS)
  markInheritedCloexec();
  const [emptyR] = state.pipe();
  const reader = state.start('cat', [], [emptyR, 'ignore', 'ignore']);
  const [, fullW] = state.pipe();
  const writer = state.start('yes', [], ['ignore', fullW, 'ignore']);
  const [queuedR, queuedW] = state.pipe();
  expect(native.fcntlInt(queuedW, F_SETPIPE_SZ, 100_000)).toBe(131072);
  expect(native.write(queuedW, Buffer.from('hello'), 5)).toBe(5);
  const [left, right] = makeSocketPair('stream');
  const sleeper = state.start('sleep', ['120'], [queuedR, 'ignore', 'ignore', left, right]);
  native.close(left);
  native.close(right);
  const dir = state.tempDir();
  for (const name of ['held', 'waited']) expect(native.mkfifo(join(dir, name), 0o600)).toBe(0);
  const fifoHolder = state.start('sh', ['-c', `exec 3<>${join(dir, 'held')}; exec sleep 120`], ['ignore', 'ignore', 'ignore']);
  const opener = state.start('sh', ['-c', `exec 3>${join(dir, 'waited')}`], ['ignore', 'ignore', 'ignore']);
  // the test keeps the other ends: emptyW (cat waits for it), fullR (never read: yes stays blocked), queuedW
  for (const fd of [emptyR, fullW, queuedR]) state.close(fd);
  queuedPipe = statSync(`/proc/self/fd/${queuedW}`).ino;
  await fillMachine(filler, MIN_POOLED_PROCESSES + 32);
  await until('the children asleep', () =>
    wchan(reader.pid!) === 'anon_pipe_read' &&
    wchan(writer.pid!) === 'anon_pipe_write' &&
    wchan(sleeper.pid!) === 'hrtimer_nanosleep' &&
    wchan(fifoHolder.pid!) === 'hrtimer_nanosleep' &&
    wchan(opener.pid!) === 'wait_for_partner',
  );
});

afterEach(async () => {
  await scratch.cleanUp();
});

afterAll(async () => {
  stopScanPool();
  await state.cleanUp();
  await filler.cleanUp();
});

/** A whole-machine snapshot the worker took part in (on a busy machine this thread may claim every chunk first). */
function pooledSnapshot(options: object): Snapshot {
  for (let attempt = 0; ; attempt++) {
    const snapshot = takeSnapshot({ all: true }, options);
    if ((lastScanSplit()?.byWorkers ?? 0) > 0 || attempt === 200) return snapshot;
  }
}

describe('whole-machine snapshots through the scan pool', () => {
  it('equal the snapshot the calling thread takes alone', async () => {
    stopScanPool();
    const alone = takeSnapshot({ all: true }, OPTIONS);
    expect(lastScanSplit()?.byWorkers).toBe(0);
    expect(await warmScanPool(1)).toBe(1);
    const pooled = pooledSnapshot(OPTIONS);
    expect(lastScanSplit()?.byWorkers).toBeGreaterThan(0);
    expect(lastScanSplit()?.recovered).toBe(0);

    const part = partOf(pooled, state.pids);
    expect(part).toEqual(partOf(alone, state.pids));
    expect(part.processes.map((p) => p.pid)).toEqual([...state.pids].sort((a, b) => a - b));
    expect(part.processes.map((p) => p.blocked?.op)).toEqual(expect.arrayContaining(['read', 'write', 'open']));
    // the kernel's numbers for the pipe this test filled, and its bytes, still queued
    const queued = pooled.objects.find((o) => o.id === `pipe:${queuedPipe}`) as PipeObject;
    expect(queued).toMatchObject({ capacity: 131072, queued: 5, readers: 1, writers: 1 });
    expect(Buffer.from(queued.peek!, 'base64').toString()).toBe('hello');
    expect(pooled.objects.find((o) => o.id === `pipe:${queuedPipe}`)).toEqual(alone.objects.find((o) => o.id === `pipe:${queuedPipe}`));
  });

  it('measures pipes as a PID-scoped snapshot does (fill and capacity through a borrowed read end)', async () => {
    expect(await warmScanPool(1)).toBe(1);
    const pooled = pooledSnapshot(LEAN);
    expect(lastScanSplit()?.byWorkers).toBeGreaterThan(0);
    const scoped = takeSnapshot({ pids: state.pids }, LEAN);
    const pipes = (snapshot: Snapshot): Array<[string, number | null, number | null]> =>
      snapshot.objects
        .filter((o): o is PipeObject => (o.kind === 'pipe' || o.kind === 'fifo') && o.holders.some((h) => state.pids.includes(h.pid)))
        .map((o) => [o.id, o.capacity, o.queued] as [string, number | null, number | null])
        .sort();
    expect(pipes(pooled)).toEqual(pipes(scoped));
    expect(pipes(pooled).length).toBeGreaterThanOrEqual(4);
  });
});

describe('the scan pool falls back to the calling thread', () => {
  // enough processes for the pool to share them out, each asleep holding a pipe's read end
  const sleepers = new TestProcesses();
  beforeAll(async () => {
    await startSleepers(sleepers, MIN_POOLED_PROCESSES + 16);
  });
  afterAll(async () => {
    await sleepers.cleanUp();
  });
  const pids = (): number[] => sleepers.pids;
  const alone = (): ReturnType<ScanPool['scan']> => new ScanPool(new URL('./no-such-worker.mjs', import.meta.url), 1).scan(pids(), LEAN);

  it('when the worker file is missing (a bundled build)', async () => {
    const pool = new ScanPool(new URL('./no-such-worker.mjs', import.meta.url), 1);
    expect(await pool.whenReady()).toBe(0);
    const scanned = pool.scan(pids(), LEAN);
    expect(pool.lastSplit).toEqual({ processes: pids().length, byWorkers: 0, recovered: 0, reused: 0 });
    expect([...scanned.keys()]).toEqual(pids());
    pool.close();
  });

  it('when the worker cannot load, without an error reaching the caller', async () => {
    const pool = new ScanPool(fakeWorkerEntry(scratch, `throw new Error('cannot load');`), 1);
    expect(await pool.whenReady()).toBe(0);
    expect(pool.scan(pids(), LEAN)).toEqual(alone());
    expect(pool.lastSplit?.byWorkers).toBe(0);
    pool.close();
  });

  /**
   * A pool whose one worker fails as `body` says once it has claimed a chunk.
   * Whether it claims one depends on it waking before the calling thread has
   * claimed them all: the first pool where it did is returned.
   */
  async function failingPool(body: string): Promise<{ pool: ScanPool; scanned: ReturnType<ScanPool['scan']> }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const pool = new ScanPool(fakeWorkerEntry(scratch, body), 1, 500);
      expect(await pool.whenReady()).toBe(1);
      const scanned = pool.scan(pids(), LEAN);
      if ((pool.lastSplit?.recovered ?? 0) > 0) return { pool, scanned };
      pool.close();
    }
    throw new Error('the worker never claimed a chunk');
  }
  const claimThen = (failure: string): string => `const { port, state } = workerData;
port.on('message', (job) => {
  const control = new Int32Array(job.control);
  Atomics.add(control, protocol.ACTIVE, 1);
  if (Atomics.add(control, protocol.NEXT_CHUNK, job.chunkSize) >= new Int32Array(job.pids).length) {
    Atomics.sub(control, protocol.ACTIVE, 1);
    Atomics.notify(control, protocol.ACTIVE);
    return;
  }
  ${failure}
});
Atomics.store(state, protocol.READY, 1);`;

  it('when a worker dies holding a claimed share, and stops using the pool', async () => {
    // process.exit in a worker ends that thread only, leaving its share claimed and the job's count up
    const { pool, scanned } = await failingPool(claimThen('process.exit(1);'));
    expect(scanned).toEqual(alone());
    pool.scan(pids(), LEAN);
    expect(pool.lastSplit).toEqual({ processes: pids().length, byWorkers: 0, recovered: 0, reused: 0 });
    pool.close();
  });

  it('when a worker throws in its share', async () => {
    const { pool, scanned } = await failingPool(
      claimThen(`port.postMessage({ job: job.id, error: 'failed' });
  Atomics.sub(control, protocol.ACTIVE, 1);
  Atomics.notify(control, protocol.ACTIVE);`),
    );
    expect(scanned).toEqual(alone());
    pool.close();
  });
});
