/**
 * The CLI run from its esbuild bundle (bin/cli-bundle.js) against the same
 * CLI run through tsx: the same snapshot, the same failures, the same exit
 * status of `run`; and the scan worker bundled beside it scans /proc on a
 * thread of its own, as the one run from the sources does.
 */
import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makePipe } from '../libc/libc';
import type { Snapshot } from '../model/snapshot-types';
import { MIN_POOLED_PROCESSES, ScanPool } from '../probe/pool/scan-pool';
import { SCAN_THREAD_NAME } from '../probe/pool/scan-protocol';
import { TestProcesses, startSleepers, until } from '../probe/testing/scan-pool-test-support';
import { ChildSet, runCli } from './cli-test-support';

/* bin/ is plain JavaScript without types: imported as start-script.test.ts imports scripts/start.js */
const CLI_BUNDLE_MODULE = fileURLToPath(new URL('../../bin/cli-bundle.js', import.meta.url));
const { BUNDLE, SCAN_WORKER_BUNDLE, freshCliBundle } = (await import(CLI_BUNDLE_MODULE)) as {
  BUNDLE: string;
  SCAN_WORKER_BUNDLE: string;
  freshCliBundle(): Promise<string | null>;
};
const children = new ChildSet();
afterEach(() => children.killAll());

/** What the kernel showed of one process and its pipe, without the timings. */
function essentials(snapshot: Snapshot, pid: number): unknown {
  const proc = snapshot.processes.find((p) => p.pid === pid);
  // only the sleeper's own holds: the CLI process itself may hold descriptors it inherited
  const pipes = snapshot.objects
    .filter((o) => o.kind === 'pipe' && o.holders.some((h) => h.pid === pid))
    .map((o) => ({ id: o.id, holders: o.holders.filter((h) => h.pid === pid) }));
  return { pid: proc?.pid, comm: proc?.comm, state: proc?.state, fds: proc?.fds, blocked: proc?.blocked?.op, pipes };
}

describe('the bundled snapshot and watch commands', () => {
  it('report what the tsx-run CLI reports, and the bundle is rebuilt when a source is newer', async () => {
    const [r, w] = makePipe();
    children.own(r, w);
    const sleeper = children.spawn('sleep', ['30'], [r, w, 'ignore']);
    children.close(r);
    children.close(w);
    const args = ['snapshot', '--pid', String(sleeper.pid), '--json'];

    const bundled = await runCli(args);
    expect(bundled.code).toBe(0);
    expect(statSync(BUNDLE).isFile()).toBe(true);
    const viaTsx = await runCli(args, undefined, { IPCSCOPE_NO_BUNDLE: '1' });
    expect(viaTsx.code).toBe(0);
    const fromBundle = essentials(JSON.parse(bundled.stdout) as Snapshot, sleeper.pid);
    expect(fromBundle).toEqual(essentials(JSON.parse(viaTsx.stdout) as Snapshot, sleeper.pid));
    expect(fromBundle).toMatchObject({ pid: sleeper.pid, comm: 'sleep', blocked: 'sleep' });

    // a bundle older than the sources is built again before it runs
    utimesSync(BUNDLE, new Date(0), new Date(0));
    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(statSync(BUNDLE).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    expect(essentials(JSON.parse(again.stdout) as Snapshot, sleeper.pid)).toEqual(fromBundle);
  });

  it('fails with the same one-line message for a PID that does not exist', async () => {
    const bundled = await runCli(['snapshot', '--pid', '4194303']);
    const viaTsx = await runCli(['snapshot', '--pid', '4194303'], undefined, { IPCSCOPE_NO_BUNDLE: '1' });
    expect(bundled.code).toBe(viaTsx.code);
    expect(bundled.stderr).toBe(viaTsx.stderr);
    expect(bundled.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the bundled run command', () => {
  it('exits with the command\'s status, as through tsx', async () => {
    const args = ['run', '--', 'sh', '-c', 'exit 7'];
    const bundled = await runCli(args);
    const viaTsx = await runCli(args, undefined, { IPCSCOPE_NO_BUNDLE: '1' });
    expect(bundled.code, bundled.stderr).toBe(7);
    expect(viaTsx.code, viaTsx.stderr).toBe(7);
    expect(bundled.stderr).toMatch(/exited with status 7\n$/);
    const killed = await runCli(['run', '--', 'sh', '-c', 'kill -TERM $$']);
    expect(killed.code, killed.stderr).toBe(128 + 15);
  });
});

describe('the scan worker bundled beside the CLI', () => {
  const sleepers = new TestProcesses();
  const pools: ScanPool[] = [];
  afterAll(async () => {
    for (const pool of pools.splice(0)) pool.close();
    await sleepers.cleanUp();
  });

  const threadNames = (): string[] => readdirSync('/proc/self/task').map((tid) => {
    try {
      return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
    } catch {
      return ''; /* a thread that ended meanwhile */
    }
  });

  it('runs as a thread of its own and scans what the calling thread alone scans', async () => {
    expect(await freshCliBundle()).not.toBeNull();
    expect(statSync(SCAN_WORKER_BUNDLE).mtimeMs).toBeGreaterThanOrEqual(statSync(BUNDLE).mtimeMs - 60_000);
    await startSleepers(sleepers, MIN_POOLED_PROCESSES + 16);
    const pids = sleepers.pids;
    const lean = { peekBytes: 0, readMaps: false, readSignals: false };
    const alone = new ScanPool(pathToFileURL(`${SCAN_WORKER_BUNDLE}.missing`), 1);
    pools.push(alone);
    const expected = alone.scan(pids, lean);
    expect(alone.lastSplit?.byWorkers).toBe(0);

    const pool = new ScanPool(pathToFileURL(SCAN_WORKER_BUNDLE), 1);
    pools.push(pool);
    expect(await pool.whenReady()).toBe(1);
    /* the worker names its thread: the kernel shows it among this process's tasks */
    await until('the worker thread named', () => threadNames().includes(SCAN_THREAD_NAME));
    let scanned = pool.scan(pids, lean);
    /* on a busy machine this thread may claim every chunk first: scan again until the worker took part */
    for (let attempt = 0; (pool.lastSplit?.byWorkers ?? 0) === 0 && attempt < 200; attempt++) scanned = pool.scan(pids, lean);
    expect(pool.lastSplit).toMatchObject({ recovered: 0 });
    expect(pool.lastSplit?.byWorkers).toBeGreaterThan(0);
    /* each sleeper asleep in nanosleep, holding the read end of its own pipe on fd 0 */
    const essentials = (result: ReturnType<ScanPool['scan']>): unknown =>
      [...result].map(([pid, scan]) => ({ pid, comm: scan?.comm, wchan: scan?.wchan, fds: scan?.fds.map((f) => [f.fd, f.target, f.access]) }));
    expect(essentials(scanned)).toEqual(essentials(expected));
    expect(essentials(scanned)).toContainEqual(expect.objectContaining({ pid: pids[0], comm: 'sleep', wchan: 'hrtimer_nanosleep' }));
  });
});
