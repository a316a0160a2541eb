/**
 * The ops the pipe and FIFO lessons added (set-name, signal, get-pipe-size,
 * write-fill, mkfifo, open, stat, unlink): what the kernel shows after each,
 * and a clear message for bad arguments.
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorTeam } from '../actor-host';

let team: ActorTeam | null = null;
let dir: string | null = null;
afterEach(async () => {
  await team?.dispose();
  team = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('lesson setup ops', () => {
  it('set-name changes /proc/PID/comm; signal ignore sets the SigIgn bit; bad names and handlers are refused by name', async () => {
    team = await ActorTeam.start();
    const actor = await team.spawn('worker');
    expect((await actor.call('set-name', { name: 'server' })).result).toBe(0);
    expect(readFileSync(`/proc/${actor.pid}/comm`, 'utf8').trim()).toBe('server');
    expect(await actor.call('set-name', { name: 'Not A Name!' })).toMatchObject({ result: -1, error: expect.stringMatching(/name must be 1 to 15/) });
    expect((await actor.call('signal', { signal: 13, handler: 'ignore' })).result).toBe(0);
    const sigIgn = BigInt(`0x${/SigIgn:\s+([0-9a-f]+)/.exec(readFileSync(`/proc/${actor.pid}/status`, 'utf8'))![1]}`);
    expect(sigIgn & (1n << 12n)).not.toBe(0n);
    expect(await actor.call('signal', { signal: 13, handler: 'catch' })).toMatchObject({ result: -1, error: expect.stringMatching(/"ignore" or "default"/) });
    expect(await actor.call('signal', { signal: 99, handler: 'ignore' })).toMatchObject({ result: -1, error: expect.stringMatching(/1 to 64/) });
  });

  it('get-pipe-size and write-fill: the capacity F_GETPIPE_SZ reports is what one write fills; bad counts are refused', async () => {
    team = await ActorTeam.start();
    const actor = await team.spawn('writer');
    const [, w] = (await actor.call('pipe2')).data!.fds as number[];
    const capacity = (await actor.call('get-pipe-size', { fd: w! })).result!;
    expect(capacity).toBe(65536);
    expect((await actor.call('write-fill', { fd: w!, count: capacity })).result).toBe(capacity);
    expect(await actor.call('write-fill', { fd: w!, count: 0 })).toMatchObject({ result: -1, error: expect.stringMatching(/count must be 1 to/) });
    expect(await actor.call('get-pipe-size', { fd: 9999 })).toMatchObject({ result: -1, errno: 'EBADF' });
  });

  it('mkfifo, stat, open, unlink: a type-p file with no data, errors by errno, relative paths refused', async () => {
    team = await ActorTeam.start();
    dir = mkdtempSync(join(tmpdir(), 'ipcscope-fifo-ops-'));
    const path = join(dir, 'f');
    const actor = await team.spawn('server');
    expect((await actor.call('mkfifo', { path, mode: 0o600 })).result).toBe(0);
    expect(lstatSync(path).isFIFO()).toBe(true);
    expect(await actor.call('mkfifo', { path })).toMatchObject({ result: -1, errno: 'EEXIST' });
    expect((await actor.call('stat', { path })).data).toMatchObject({ type: 'p', size: 0, blocks: 0, mode: 0o600, inode: lstatSync(path).ino });
    expect(await actor.call('stat', { path: join(dir, 'none') })).toMatchObject({ result: -1, errno: 'ENOENT' });
    expect(await actor.call('open', { path: 'f', access: 'read' })).toMatchObject({ result: -1, error: expect.stringMatching(/absolute/) });
    expect(await actor.call('open', { path, access: 'both' })).toMatchObject({ result: -1, error: expect.stringMatching(/"read" or "write"/) });
    expect((await actor.call('unlink', { path })).result).toBe(0);
    expect(existsSync(path)).toBe(false);
  });
});
