import { existsSync } from 'node:fs';
import koffi from 'koffi';
import { afterEach, describe, expect, it } from 'vitest';
import type { PosixShmObject } from '../../../model/snapshot-types';
import { MAP_FAILED, MAP_SHARED, O_CREAT, O_EXCL, PROT_READ, PROT_WRITE, posix } from '../../../libc/posix-ipc';
import { O_CLOEXEC, O_RDWR, check, native } from '../../../libc/libc';
import { buildTestContext } from '../../testing/ipc-test-context';
import { type ScriptChild, spawnScript, stopChild } from '../../testing/ipc-test-children';
import { posixShmName, posixShmProbe } from './posix-shm';

function probe(pids: number[], name: string, wholeMachine = false): { obj: PosixShmObject | undefined; targets: Map<string, string> } {
  const { objects, targets } = posixShmProbe.collect(buildTestContext(pids, { wholeMachine }));
  return { obj: objects.find((o): o is PosixShmObject => o.id === `posix_shm:${name}`), targets };
}

describe('posixShmProbe', () => {
  const names: string[] = [];
  const fds: number[] = [];
  const maps: [bigint, number][] = [];
  const children: ScriptChild[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await stopChild(c);
    for (const [addr, len] of maps.splice(0)) posix.munmap(addr, len);
    for (const fd of fds.splice(0)) native.close(fd);
    for (const n of names.splice(0)) posix.shmUnlink(n);
  });

  it('names /dev/shm objects', () => {
    expect(posixShmName('/dev/shm/a')).toBe('/a');
    expect(posixShmName('/dev/shm/a (deleted)')).toBe('/a (deleted)');
    expect(posixShmName('/dev/shm/d/x')).toBeNull();
    expect(posixShmName('/tmp/a')).toBeNull();
  });

  it('finds holders from descriptors, mappers from maps, and the size from stat', async () => {
    const name = `/ipcscope-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const fd = check('shm_open', posix.shmOpen(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600));
    names.push(name);
    fds.push(fd);
    check('ftruncate', posix.ftruncate(fd, 8192));

    const first = probe([process.pid], name);
    const targets = first.targets;
    let obj = first.obj;
    expect(obj).toMatchObject({ name, path: `/dev/shm${name}`, size: 8192, holders: [{ pid: process.pid, fd, access: 'rw' }], attached: [] });
    expect(targets.get(`/dev/shm${name}`)).toBe(`posix_shm:${name}`);

    const addr = posix.mmap(null, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    expect(addr).not.toBe(MAP_FAILED);
    maps.push([addr, 8192]);
    new Uint8Array(koffi.view(addr, 8192)).set(Buffer.from('shared words'));
    /* a second process maps it and closes its descriptor: a mapper that holds no fd */
    const child = await spawnScript(`
      const shmOpen = lib.func('int shm_open(const char *name, int oflag, unsigned int mode)');
      const mmap = lib.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off)');
      const close = lib.func('int close(int fd)');
      const fd = shmOpen(${JSON.stringify(name)}, 0 | 0o2000000, 0);
      if (fd < 0) process.exit(1);
      mmap(null, 4096, 1, 1, fd, 0);
      close(fd);
      keepAlive();
      console.log('ready');
    `);
    children.push(child);
    ({ obj } = probe([process.pid, child.pid], name));
    expect(Buffer.from(obj!.peek!, 'base64').subarray(0, 12).toString()).toBe('shared words');
    expect(Buffer.from(obj!.peek!, 'base64').length).toBe(256);
    expect(obj!.holders).toEqual([{ pid: process.pid, fd, access: 'rw' }]);
    expect(obj!.attached).toEqual([process.pid, child.pid].sort((a, b) => a - b));

    /* scoped to the child alone, the object is there through the mapping only */
    ({ obj } = probe([child.pid], name));
    expect(obj).toMatchObject({ holders: [], attached: [child.pid] });

    /* unlinked while held: the link gains " (deleted)", the size still comes from the descriptor */
    check('shm_unlink', posix.shmUnlink(name));
    names.pop();
    expect(existsSync(`/dev/shm${name}`)).toBe(false);
    ({ obj } = probe([process.pid], `${name} (deleted)`));
    expect(obj).toMatchObject({ size: 8192, holders: [{ pid: process.pid, fd }], attached: [process.pid] });
    /* read through the holder's descriptor now that the name is gone */
    expect(Buffer.from(obj!.peek!, 'base64').subarray(0, 12).toString()).toBe('shared words');
  });

  it('lists every /dev/shm object for the whole machine, held or not', () => {
    const name = `/ipcscope-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const fd = check('shm_open', posix.shmOpen(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600));
    names.push(name);
    try {
      check('ftruncate', posix.ftruncate(fd, 100));
    } finally {
      native.close(fd);
    }
    expect(probe([], name, true).obj).toMatchObject({ size: 100, holders: [], attached: [] });
  });
});
