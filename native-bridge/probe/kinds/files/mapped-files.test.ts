/**
 * Shared file mappings as objects, on real C programs: a file every mapper
 * maps read-only shared is not IPC (no process can store into it), a file one
 * of them maps read-write shared is.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MappedFileObject } from '../../../model/snapshot-types';
import { takeSnapshot } from '../../sampler';
import { ccMissingReason, CWorkspace, lineOf } from '../../testing/c-program-test-support';

/* argv[1]: the file; argv[2]: "rw" maps PROT_READ|PROT_WRITE, else PROT_READ; MAP_SHARED either way, the descriptor stays open */
const MAPPER_C = `
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(int argc, char **argv) {
  int rw = argc > 2 && strcmp(argv[2], "rw") == 0;
  int fd = open(argv[1], rw ? O_RDWR : O_RDONLY);
  if (fd < 0) { perror("open"); return 1; }
  char *mem = mmap(NULL, 4096, rw ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
  if (mem == MAP_FAILED) { perror("mmap"); return 1; }
  printf("mapped %d\\n", fd);
  fflush(stdout);
  for (;;) pause();
}
`;

const skip = ccMissingReason();
let ws: CWorkspace | null = null;
afterEach(async () => {
  await ws?.remove();
  ws = null;
});

/** The perms column of `pid`'s shared mapping of `inode`, read from /proc/PID/maps here (not through the probe). */
function permsOf(pid: number, inode: number): string | undefined {
  return readFileSync(`/proc/${pid}/maps`, 'latin1')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((f) => Number(f[4]) === inode && f[1]?.endsWith('s'))?.[1];
}

async function twoMappers(secondAccess: 'ro' | 'rw'): Promise<{ pids: number[]; inode: number }> {
  ws = new CWorkspace();
  const bin = ws.compile('mapper', MAPPER_C);
  const path = join(ws.dir, 'table.dat');
  writeFileSync(path, Buffer.alloc(4096, 0x41));
  const a = ws.run(bin, [path, 'ro']);
  const b = ws.run(bin, [path, secondAccess]);
  await Promise.all([lineOf(a, 'mapped'), lineOf(b, 'mapped')]);
  return { pids: [a.pid, b.pid], inode: statSync(path).ino };
}

describe.skipIf(skip !== null)('mapped-files probe: only a file someone can write through is IPC', () => {
  it('two processes map one file read-only shared (r--s): no object', async () => {
    const { pids, inode } = await twoMappers('ro');
    expect(pids.map((pid) => permsOf(pid, inode))).toEqual(['r--s', 'r--s']);
    const snap = takeSnapshot({ pids });
    expect(snap.objects.filter((o) => o.kind === 'mmap' && o.inode === inode)).toEqual([]);
  });

  it('one of them maps it read-write shared (rw-s): the object, with both mappers', async () => {
    const { pids, inode } = await twoMappers('rw');
    expect(pids.map((pid) => permsOf(pid, inode))).toEqual(['r--s', 'rw-s']);
    const file = takeSnapshot({ pids }).objects.find((o): o is MappedFileObject => o.kind === 'mmap' && o.inode === inode);
    expect(file).toBeDefined();
    expect(file!.attached).toEqual([...pids].sort((x, y) => x - y));
    expect(file!.mappings.map((m) => [m.pid, m.perms])).toEqual([[pids[0], 'r--s'], [pids[1], 'rw-s']].sort((x, y) => (x[0] as number) - (y[0] as number)));
  });
});
