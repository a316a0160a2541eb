import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { libc } from '../../../libc/libc';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnixSocketObject } from '../../../model/snapshot-types';
import { CWorkspace, ccMissingReason, lineOf } from '../../testing/c-program-test-support';
import { Sampler, WATCH_SAMPLER_OPTIONS, takeSnapshot } from '../../sampler';
import { queryUnixSockets } from './unix-sockets';

/*
 * A listener with a socketpair beside it; a client connects and, when told
 * (SIGUSR1), closes before the listener accepts: the pending connection's
 * client is gone (its ICONS entry reads inode 0).
 */
const LISTENER = `
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
static volatile sig_atomic_t go;
static void on_usr1(int s) { (void)s; go = 1; }
int main(int argc, char **argv) {
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  strcpy(a.sun_path, argv[1]);
  signal(SIGUSR1, on_usr1);
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  bind(l, (struct sockaddr *)&a, sizeof a);
  listen(l, 4);
  int sp[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
  write(sp[0], "hi", 2);
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  connect(c, (struct sockaddr *)&a, sizeof a);
  printf("fds %d %d %d %d\\n", l, sp[0], sp[1], c); fflush(stdout);
  while (!go) pause();
  close(c);
  printf("closed\\n"); fflush(stdout);
  for (;;) pause();
}`;

/* ss -xa rows by inode: state, Recv-Q. */
function ssUnix(): Map<number, { state: string; recvQ: number }> {
  const rows = new Map<number, { state: string; recvQ: number }>();
  for (const line of execFileSync('ss', ['-xaH'], { encoding: 'utf8' }).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    rows.set(Number(f[5]), { state: f[1]!, recvQ: Number(f[2]) });
  }
  return rows;
}

function unixOf(objects: readonly { id: string }[]): Map<string, UnixSocketObject> {
  return new Map(objects.filter((o): o is UnixSocketObject => (o as UnixSocketObject).kind === 'unix').map((o) => [o.id, o]));
}

const skip = ccMissingReason();

describe.skipIf(skip !== null)('a listener whose pending client closed', () => {
  let ws: CWorkspace | null = null;
  afterEach(async () => {
    await ws?.remove();
    ws = null;
  });

  it('hides none of the process sockets from a PID-scoped snapshot, and a watch sees no close that did not happen', async () => {
    ws = new CWorkspace();
    const program = ws.run(ws.compile('listener', LISTENER), [join(ws.dir, 'sock')]);
    const [listenFd, pairFd0, pairFd1] = (await lineOf(program, 'fds ')).slice(4).split(' ').map(Number);
    const sampler = new Sampler(WATCH_SAMPLER_OPTIONS);
    try {
      const before = unixOf(sampler.sample({ pids: [program.pid] }).objects);
      expect(before.size).toBeGreaterThanOrEqual(3);
      program.process.kill('SIGUSR1');
      await lineOf(program, 'closed');
      sampler.invalidate();
      const tick = sampler.sample({ pids: [program.pid] });
      const after = unixOf(tick.objects);
      const once = takeSnapshot({ pids: [program.pid] });
      expect(once.problems).toEqual([]);
      const ss = ssUnix();
      // its own three (stdout is a socket too, from the test runner)
      const held = once.processes[0]!.fds.filter((f) => [listenFd, pairFd0, pairFd1].includes(f.fd));
      expect(held).toHaveLength(3);
      for (const fd of held) {
        const inode = Number(/\d+/.exec(fd.target)![0]);
        const object = unixOf(once.objects).get(`unix:${inode}`);
        expect(object, `socket ${inode}`).toBeDefined();
        expect(object!.state).toBe(ss.get(inode)!.state === 'LISTEN' ? 'LISTEN' : 'ESTAB');
        if (object!.state === 'LISTEN') expect(object!.pending).toBe(ss.get(inode)!.recvQ);
        else expect(object!.queued).toBe(ss.get(inode)!.recvQ);
        // the watch's tick keeps every socket still held
        expect(after.has(`unix:${inode}`)).toBe(true);
      }
    } finally {
      sampler.close();
    }
  });

  it('keeps the sockets that answer when the kernel refuses one of a batch (unix_diag: EINVAL for inode 0)', async () => {
    ws = new CWorkspace();
    const program = ws.run(ws.compile('listener', LISTENER), [join(ws.dir, 'sock')]);
    const fds = (await lineOf(program, 'fds ')).slice(4).split(' ').map(Number);
    const inodes = fds.map((fd) => Number(/\d+/.exec(readlinkSync(`/proc/${program.pid}/fd/${fd}`))![0]));
    const found: Parameters<typeof queryUnixSockets>[1] = new Map();
    const failed = new Map<number, number>();
    queryUnixSockets([inodes[0]!, 0, ...inodes.slice(1)], found, failed);
    /* EINVAL 22: unix_diag_get_exact refuses inode 0 */
    expect([...failed]).toEqual([[0, 22]]);
    expect([...found.keys()].sort()).toEqual([...inodes].sort());
  });

  it('shows the previous sockets marked stale, not closed, when sock_diag itself fails', async () => {
    ws = new CWorkspace();
    const program = ws.run(ws.compile('listener', LISTENER), [join(ws.dir, 'sock')]);
    await lineOf(program, 'fds ');
    const sampler = new Sampler(WATCH_SAMPLER_OPTIONS);
    try {
      const before = unixOf(sampler.sample({ pids: [program.pid] }).objects);
      expect(before.size).toBeGreaterThanOrEqual(3);
      // the kept NETLINK_SOCK_DIAG socket (protocol 4 in /proc/net/netlink) replaced by /dev/null: the kernel answers ENOTSOCK
      const diagInodes = new Set(
        readFileSync('/proc/net/netlink', 'latin1')
          .split('\n')
          .slice(1)
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f[1] === '4')
          .map((f) => f[9]),
      );
      const diagFd = readdirSync('/proc/self/fd')
        .map(Number)
        .find((fd) => {
          try {
            return diagInodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1]);
          } catch {
            return false;
          }
        });
      expect(diagFd).toBeDefined();
      const devNull = openSync('/dev/null', 'r');
      const dup2 = libc().func('int dup2(int oldfd, int newfd)') as (oldfd: number, newfd: number) => number;
      expect(dup2(devNull, diagFd!)).toBe(diagFd);
      closeSync(devNull);
      sampler.invalidate();
      const failed = sampler.sample({ pids: [program.pid] });
      expect(failed.problems.some((p) => p.reason.startsWith('unix-sockets:'))).toBe(true);
      const kept = unixOf(failed.objects);
      expect([...kept.keys()].sort()).toEqual([...before.keys()].sort());
      for (const object of kept.values()) expect(object.stale).toMatch(/^unix-sockets:/);
      // the next tick asks the kernel again, on a new netlink socket
      sampler.invalidate();
      const again = sampler.sample({ pids: [program.pid] });
      expect(again.problems).toEqual([]);
      for (const object of unixOf(again.objects).values()) expect(object.stale).toBeUndefined();
    } finally {
      sampler.close();
    }
  });
});
