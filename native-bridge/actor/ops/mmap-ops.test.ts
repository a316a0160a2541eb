import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileLockObject, MappedFileObject } from '../../model/snapshot-types';
import { parseSharedFileMaps } from '../../probe/kinds/files/mapped-files';
import { takeSnapshot } from '../../probe/sampler';
import { ActorTeam } from '../actor-host';

let team: ActorTeam | null = null;
let dir: string | null = null;

afterEach(async () => {
  await team?.dispose();
  team = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** The shared mapping of inode `inode` in /proc/PID/maps, read and split here (not through the probe's parser). */
function mapsLine(pid: number, inode: number): { start: string; end: string; perms: string; device: string } | null {
  for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (Number(f[4]) === inode && f[1]?.endsWith('s')) {
      const [start, end] = f[0]!.split('-') as [string, string];
      return { start, end, perms: f[1], device: f[3]! };
    }
  }
  return null;
}

describe('mmap and file-lock actor ops, observed through the probe', () => {
  it('two actors map one file MAP_SHARED: the probe reports the file with both ranges exactly as /proc/PID/maps has them, its size and first bytes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ipcscope-mmap-'));
    const path = join(dir, 'shared.dat');
    team = await ActorTeam.start();
    const a = await team.spawn('a');
    const b = await team.spawn('b');
    const fa = (await a.call('open-file', { path, create: true })).result!;
    expect((await a.call('ftruncate', { fd: fa, size: 8192 })).result).toBe(0);
    const mappedA = await a.call('mmap-file', { fd: fa, size: 8192 });
    const fb = (await b.call('open-file', { path })).result!;
    const mappedB = await b.call('mmap-file', { fd: fb, size: 4096 });
    expect((await a.call('write-memory', { address: mappedA.data!.address, text: 'seen by b' })).result).toBe(9);
    const inode = statSync(path).ino;

    const snap = takeSnapshot({ pids: [a.pid, b.pid] });
    const file = snap.objects.find((o): o is MappedFileObject => o.kind === 'mmap' && o.inode === inode)!;
    const [la, lb] = [mapsLine(a.pid, inode)!, mapsLine(b.pid, inode)!];
    expect(file.id).toBe(`mmap:${la.device}:${inode}`);
    expect(mappedA.data!.object).toBe(file.id);
    expect(file).toMatchObject({ path, size: 8192, attached: [a.pid, b.pid].sort((x, y) => x - y) });
    expect(file.mappings).toEqual(
      [
        { pid: a.pid, start: la.start, end: la.end, perms: la.perms, offset: 0 },
        { pid: b.pid, start: lb.start, end: lb.end, perms: lb.perms, offset: 0 },
      ].sort((x, y) => x.pid - y.pid),
    );
    expect(`0x${la.start}`).toBe(mappedA.data!.address);
    expect(`0x${lb.start}`).toBe(mappedB.data!.address);
    expect(BigInt(`0x${la.end}`) - BigInt(`0x${la.start}`)).toBe(8192n);
    expect(Buffer.from(file.peek!, 'base64').subarray(0, 9).toString()).toBe('seen by b');
    expect(file.holders.map((h) => [h.pid, h.fd, h.access]).sort()).toEqual([[a.pid, fa, 'rw'], [b.pid, fb, 'rw']].sort());
    expect(snap.processes.find((p) => p.pid === b.pid)!.fds.find((f) => f.fd === fb)!.object).toBe(file.id);
  });

  it('flock: the second actor sleeps in locks_lock_inode_wait; the lock object names holder and waiter as /proc/locks does', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ipcscope-lock-'));
    const path = join(dir, 'locked');
    team = await ActorTeam.start();
    const a = await team.spawn('a');
    const b = await team.spawn('b');
    const fa = (await a.call('open-file', { path, create: true })).result!;
    const fb = (await b.call('open-file', { path })).result!;
    const locked = await a.call('flock', { fd: fa, operation: 'LOCK_EX' });
    expect(locked.result).toBe(0);
    const pending = b.call('flock', { fd: fb, operation: 'LOCK_EX' });
    expect(await b.watchBlocked('flock', { fd: fb }, pending)).toBe('blocked');
    expect(b.kernelWait()).toMatchObject({ wchan: 'locks_lock_inode_wait', syscallNr: 73, arg0: fb });
    const lock = takeSnapshot({ pids: [a.pid, b.pid] }).objects.find((o): o is FileLockObject => o.id === locked.data!.object)!;
    expect(lock).toMatchObject({ kind: 'lock', waiting: [b.pid], locks: [{ type: 'FLOCK', mode: 'WRITE', pid: a.pid }] });
    expect((await a.call('flock', { fd: fa, operation: 'LOCK_UN' })).result).toBe(0);
    expect((await pending).result).toBe(0);
    /* the lock passed to b */
    expect(readFileSync('/proc/locks', 'utf8')).toMatch(new RegExp(`FLOCK +ADVISORY +WRITE +${b.pid} +\\S+:${statSync(path).ino} `));
  });

  it('the maps parser keeps shared file mappings only', () => {
    const maps = [
      '7f0000000000-7f0000001000 rw-s 00000000 fe:00 1234 /tmp/x/shared.dat',
      '7f0000002000-7f0000003000 rw-s 00000000 00:01 32769 /SYSV00000000 (deleted)',
      '7f0000004000-7f0000005000 rw-s 00000000 00:1a 77 /dev/shm/name',
      '7f0000006000-7f0000007000 r--p 00001000 fe:00 99 /usr/lib/libc.so.6',
      '7f0000008000-7f000000a000 r--s 00002000 fe:00 1235 /tmp/x/gone (deleted)',
    ].join('\n');
    expect(parseSharedFileMaps(maps)).toEqual([
      { start: '7f0000000000', end: '7f0000001000', perms: 'rw-s', offset: 0, device: 'fe:00', inode: 1234, path: '/tmp/x/shared.dat' },
      { start: '7f0000008000', end: '7f000000a000', perms: 'r--s', offset: 0x2000, device: 'fe:00', inode: 1235, path: '/tmp/x/gone (deleted)' },
    ]);
  });
});
