import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileLockObject } from '../../../model/snapshot-types';
import { describeBlocked, keyNumbers } from '../../../cli/describe';
import { CWorkspace, ccMissingReason, lineOf, sleepingIn } from '../../testing/c-program-test-support';
import { lockDevice } from './file-locks';
import { takeSnapshot } from '../../sampler';

/* Locks argv[1] exclusively: flock (f), fcntl F_SETLKW (p) or F_OFD_SETLKW (o) on bytes 10..29; prints the fd once it holds it. */
const LOCKER = `
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>
int main(int argc, char **argv) {
  int fd = open(argv[1], O_RDWR | O_CREAT, 0600);
  printf("fd %d\\n", fd); fflush(stdout);
  if (argv[2][0] == 'f') flock(fd, LOCK_EX);
  else {
    struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 20 };
    fcntl(fd, argv[2][0] == 'p' ? F_SETLKW : F_OFD_SETLKW, &l);
  }
  printf("locked\\n"); fflush(stdout);
  for (;;) pause();
}`;

/* The /proc/locks lines on one file: [waiter?, type, mode, pid, start, end]. */
function procLocks(file: string): string[][] {
  return readFileSync('/proc/locks', 'latin1')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.includes(file))
    .map((f) => (f[1] === '->' ? ['->', f[2]!, f[4]!, f[5]!, f[7]!, f[8]!] : ['', f[1]!, f[3]!, f[4]!, f[6]!, f[7]!]));
}

const CASES = [
  { mode: 'f', type: 'FLOCK', nr: 73, cmd: null, wchan: 'locks_lock_inode_wait', range: ['0', 'EOF'] },
  { mode: 'p', type: 'POSIX', nr: 72, cmd: 7, wchan: 'fcntl_setlk', range: ['10', '29'] },
  { mode: 'o', type: 'OFDLCK', nr: 72, cmd: 38, wchan: 'fcntl_setlk', range: ['10', '29'] },
] as const;

const skip = ccMissingReason();

describe.skipIf(skip !== null)('file locks', () => {
  let ws: CWorkspace | null = null;
  afterEach(async () => {
    await ws?.remove();
    ws = null;
  });

  it.each(CASES)('a $type lock is an object with its holder, and the waiter is blocked on it', async ({ mode, type, nr, cmd, wchan, range }) => {
    ws = new CWorkspace();
    const bin = ws.compile('locker', LOCKER);
    const path = join(ws.dir, `locked-${mode}`);
    const holder = ws.run(bin, [path, mode]);
    await lineOf(holder, 'locked');
    const holderFd = Number((await lineOf(holder, 'fd ')).slice(3));
    const waiter = ws.run(bin, [path, mode]);
    const waiterFd = Number((await lineOf(waiter, 'fd ')).slice(3));
    const syscall = await sleepingIn(waiter.pid, [nr], wchan);
    expect(Number(syscall[1])).toBe(waiterFd);
    if (cmd !== null) expect(Number(syscall[2])).toBe(cmd);

    const st = statSync(path);
    const file = `${lockDevice(st.dev)}:${st.ino}`;
    const kernel = procLocks(file);
    // OFD locks belong to an open file, not a process: /proc/locks writes -1
    const kernelPid = (pid: number): string => (type === 'OFDLCK' ? '-1' : String(pid));
    expect(kernel).toEqual([
      ['', type, 'WRITE', kernelPid(holder.pid), ...range],
      ['->', type, 'WRITE', kernelPid(waiter.pid), ...range],
    ]);
    expect(readFileSync(`/proc/${holder.pid}/fdinfo/${holderFd}`, 'latin1')).toMatch(new RegExp(`^lock:.*${type}`, 'm'));

    // the waiter alone in scope: the holder is found outside it (OFD: through its descriptor, so both are scanned)
    const pids = type === 'OFDLCK' ? [waiter.pid, holder.pid] : [waiter.pid];
    const snapshot = takeSnapshot({ pids });
    const proc = snapshot.processes.find((p) => p.pid === waiter.pid)!;
    expect(proc.blocked).toMatchObject({ op: 'lock', syscallNr: nr, fd: waiterFd, object: `lock:${file}` });
    expect(describeBlocked(proc.blocked!)).toContain(`lock(fd ${waiterFd}) on lock:${file} [${wchan}`);
    const object = snapshot.objects.find((o): o is FileLockObject => o.id === `lock:${file}`)!;
    const end = range[1] === 'EOF' ? null : Number(range[1]);
    expect(object).toMatchObject({
      kind: 'lock',
      path,
      inode: st.ino,
      locks: [{ type, mode: 'WRITE', pid: type === 'OFDLCK' ? null : holder.pid, start: Number(range[0]), end }],
      waiters: [{ type, mode: 'WRITE', pid: type === 'OFDLCK' ? null : waiter.pid, start: Number(range[0]), end }],
      waiting: [waiter.pid],
    });
    expect(object.holders).toEqual([{ pid: holder.pid, fd: holderFd, access: 'rw' }]);
    expect(Object.fromEntries(keyNumbers(object))).toMatchObject({ file: path, waiting: String(waiter.pid) });
  });
});
