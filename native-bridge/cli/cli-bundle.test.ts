import { statSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makePipe } from '../libc/libc';
import type { Snapshot } from '../model/snapshot-types';
import { ChildSet, runCli } from './cli-test-support';

/* bin/ is plain JavaScript without types: imported as start-script.test.ts imports scripts/start.js */
const CLI_BUNDLE_MODULE = fileURLToPath(new URL('../../bin/cli-bundle.js', import.meta.url));
const { BUNDLE } = (await import(CLI_BUNDLE_MODULE)) as { BUNDLE: string };
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
