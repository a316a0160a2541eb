import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { native } from '../libc/libc';
import { actorCommand } from './actor-command';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorTeam, type Actor, type CallReply } from './actor-host';
import { readKernelWait } from './kernel-wait';
import { parentOf } from './reaper';
import { holdersOf, until } from './kernel-test-helpers';

let team: ActorTeam | null = null;

afterEach(async () => {
  await team?.dispose();
  team = null;
});

function fdTarget(pid: number, fd: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return null;
  }
}

function fdsOf(reply: CallReply): [number, number] {
  const fds = reply.data?.fds;
  if (!Array.isArray(fds) || fds.length !== 2) throw new Error('pipe2 gave no fds');
  return [fds[0]!, fds[1]!];
}

async function parentWithPipe(outlivesParent = false): Promise<{ parent: Actor; child: Actor; r: number; w: number; target: string }> {
  team = await ActorTeam.start();
  const parent = await team.spawn('parent');
  const piped = await parent.call('pipe2');
  expect(piped.result).toBe(0);
  const [r, w] = fdsOf(piped);
  const target = `pipe:[${String(piped.data?.inode)}]`;
  const { child } = await parent.spawnChild('child', undefined, outlivesParent);
  return { parent, child, r, w, target };
}

describe('actors', () => {
  it('a posix_spawned child is the parent actor\'s child and holds the pipe at the same fds', async () => {
    const { parent, child, r, w, target } = await parentWithPipe();
    expect(parentOf(child.pid)).toBe(parent.pid);
    expect(fdTarget(parent.pid, r)).toBe(target);
    expect(fdTarget(child.pid, r)).toBe(target);
    expect(fdTarget(child.pid, w)).toBe(target);
    /* the child has stdio: the dup2(fd, fd) file actions cleared FD_CLOEXEC on 0-2 */
    expect(fdTarget(child.pid, 1)).not.toBeNull();
  });

  it('a read on an empty pipe really sleeps in the kernel until the parent writes', async () => {
    const { parent, child, r, w, target } = await parentWithPipe();
    await until(() => child.probeBlocked()?.op === 'poll');
    expect((await parent.call('close', { fd: r })).result).toBe(0);
    expect((await child.call('close', { fd: w })).result).toBe(0);
    const read = child.call('read', { fd: r, count: 64 });
    expect(await child.watchBlocked('read', { fd: r }, read)).toBe('blocked');
    const wait = readKernelWait(child.pid);
    expect(wait?.wchan).toBe('anon_pipe_read');
    expect(wait?.syscallNr).toBe(0);
    expect(wait?.arg0).toBe(r);
    expect(child.probeBlocked()).toMatchObject({ op: 'read', fd: r, wchan: 'anon_pipe_read', object: target.replace(/[[\]]/g, '') });
    expect((await parent.call('write', { fd: w, text: 'hello world\n' })).result).toBe(12);
    const got = await read;
    expect(got.result).toBe(12);
    expect(Buffer.from(String(got.data?.bytes), 'base64').toString()).toBe('hello world\n');
    /* the parent closes its write end: the child's next read returns 0 (EOF) */
    const again = child.call('read', { fd: r, count: 64 });
    expect(await child.watchBlocked('read', { fd: r }, again)).toBe('blocked');
    expect((await parent.call('close', { fd: w })).result).toBe(0);
    expect((await again).result).toBe(0);
  });

  it('the child prints on the stdout it inherited, exits, and the parent reaps it with waitpid', async () => {
    const { parent, child } = await parentWithPipe();
    let out = '';
    team!.onOutput((o) => (out += o.stream === 'stdout' ? o.text : ''));
    expect((await child.call('write', { fd: 1, text: 'hi from child\n' })).result).toBe(14);
    await until(() => out.includes('hi from child'));
    const exit = await child.call('exit', { code: 3 });
    expect(exit.result).toBeNull();
    /* not reaped yet: the kernel keeps it as a zombie of the parent actor */
    await until(() => readKernelWait(child.pid)?.state === 'Z');
    const waited = await parent.call('waitpid', { pid: child.pid });
    expect(waited.result).toBe(child.pid);
    expect(waited.data?.exitCode).toBe(3);
    expect(readKernelWait(child.pid)).toBeNull();
  });

  it('syscall errors come back as errno names, bad requests as errors, and the actor lives on', async () => {
    team = await ActorTeam.start();
    const a = await team.spawn('solo');
    expect(await a.call('close', { fd: 9999 })).toMatchObject({ result: -1, errno: 'EBADF' });
    expect(await a.call('read', { fd: 'x' })).toMatchObject({ result: -1, error: expect.stringContaining('fd') });
    expect(await a.call('no-such-op')).toMatchObject({ result: -1, error: expect.stringContaining('unknown op') });
    expect(await a.call('waitpid', { pid: 1 })).toMatchObject({ result: -1, errno: 'ECHILD' });
    const size = await a.call('pipe2');
    const [, w] = fdsOf(size);
    expect((await a.call('set-pipe-size', { fd: w, size: 100000 })).result).toBe(131072);
    expect(a.alive).toBe(true);
  });

  it('SIGPIPE keeps its default: writing to a pipe without readers kills the writer', async () => {
    const { parent, child, r, w } = await parentWithPipe();
    await parent.call('close', { fd: r });
    await child.call('close', { fd: r });
    const wrote = await parent.call('write', { fd: w, text: 'x' });
    expect(wrote).toMatchObject({ result: null, gone: true });
    await until(() => parent.process?.signalCode !== null);
    expect(parent.process?.signalCode).toBe('SIGPIPE');
    void child;
  });

  it('dispose kills and reaps every actor, even one blocked in read, and the pipe dies with them', async () => {
    const { parent, child, r, target } = await parentWithPipe();
    const read = child.call('read', { fd: r, count: 64 });
    expect(await child.watchBlocked('read', { fd: r }, read)).toBe('blocked');
    const pids = team!.pids();
    expect(pids).toEqual([parent.pid, child.pid]);
    expect(holdersOf(target).length).toBeGreaterThan(0);
    await team!.dispose();
    team = null;
    for (const pid of pids) expect(readKernelWait(pid)).toBeNull();
    expect(holdersOf(target)).toEqual([]);
    expect((await read).result).toBeNull();
  });

  it('an engine that dies without disposing still kills and reaps its actors (exit handler)', () => {
    const { file, cwd } = actorCommand({});
    const run = spawnSync(file, ['--import', 'tsx', new URL('./crash-fixture.ts', import.meta.url).pathname], {
      cwd,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(3);
    const { pids, inode } = JSON.parse(run.stdout.trim()) as { pids: number[]; inode: number };
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(readKernelWait(pid)).toBeNull();
    expect(holdersOf(`pipe:[${inode}]`)).toEqual([]);
  });

  it('an engine killed outright (SIGKILL) takes every actor with it, even a child asleep in a read that never returns', () => {
    const { file, cwd } = actorCommand({});
    const run = spawnSync(file, ['--import', 'tsx', new URL('./crash-fixture.ts', import.meta.url).pathname, 'SIGKILL'], {
      cwd,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.signal).toBe('SIGKILL');
    const { pids, inode } = JSON.parse(run.stdout.trim()) as { pids: number[]; inode: number };
    expect(pids).toHaveLength(2);
    return until(() => {
      /* dead: gone, or a zombie nobody reaps (PID 1 here does not); a zombie holds nothing */
      const dead = pids.every((pid) => {
        const wait = readKernelWait(pid);
        return wait === null || wait.state === 'Z';
      });
      return dead && holdersOf(`pipe:[${inode}]`).length === 0;
    }, 30_000);
  });

  it('a descriptor the engine inherited without FD_CLOEXEC does not reach the actors', async () => {
    const leaked = new Int32Array(2);
    expect(native.pipe2(leaked, 0)).toBe(0);
    try {
      const target = readlinkSync(`/proc/self/fd/${leaked[0]}`);
      const { parent, child } = await parentWithPipe();
      expect(holdersOf(target).filter((h) => h.startsWith(`${parent.pid}/`) || h.startsWith(`${child.pid}/`))).toEqual([]);
    } finally {
      native.close(leaked[0]!);
      native.close(leaked[1]!);
    }
  });

  it('a child allowed to outlive its parent actor is reparented to the engine and reaped when it exits', async () => {
    const { parent, child } = await parentWithPipe(true);
    expect(await parent.call('exit', { code: 0 })).toMatchObject({ result: null, gone: true });
    /* PID 1 here does not reap orphans; the engine is a child subreaper */
    await until(() => parentOf(child.pid) === process.pid);
    expect(readKernelWait(child.pid)?.state).not.toBe('Z');
    expect(await child.call('exit', { code: 0 })).toMatchObject({ result: null, gone: true });
    await until(() => readKernelWait(child.pid) === null);
  });
});
