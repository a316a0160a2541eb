import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnixSocketObject } from '../../model/snapshot-types';
import { CWorkspace, ccMissingReason, lineOf, sleepingIn } from '../testing/c-program-test-support';
import { takeSnapshot } from '../sampler';

/* Binds argv[1] ("@name" = abstract), listens with backlog 0 and never accepts. */
const SERVER = `
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
int main(int argc, char **argv) {
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  socklen_t len = sizeof a;
  if (argv[1][0] == '@') { strcpy(a.sun_path + 1, argv[1] + 1); len = 2 + strlen(argv[1]); }
  else strcpy(a.sun_path, argv[1]);
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  if (bind(l, (struct sockaddr *)&a, len) || listen(l, 0)) { perror("bind/listen"); return 1; }
  printf("listening %d\\n", l); fflush(stdout);
  for (;;) pause();
}`;

/* Connects twice to argv[1]: the first fills the backlog, the second sleeps in connect(). */
const CLIENT = `
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
int main(int argc, char **argv) {
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  socklen_t len = sizeof a;
  if (argv[1][0] == '@') { strcpy(a.sun_path + 1, argv[1] + 1); len = 2 + strlen(argv[1]); }
  else strcpy(a.sun_path, argv[1]);
  int first = socket(AF_UNIX, SOCK_STREAM, 0);
  if (connect(first, (struct sockaddr *)&a, len)) { perror("connect"); return 1; }
  int second = socket(AF_UNIX, SOCK_STREAM, 0);
  printf("second %d\\n", second); fflush(stdout);
  connect(second, (struct sockaddr *)&a, len);
  for (;;) pause();
}`;

/* The inode of the socket behind `fd` of `pid`. */
function socketInode(pid: number, fd: number): number {
  return Number(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))![1]);
}

/* ss -xlH: the listening socket's inode bound to `name`, and its Recv-Q (pending). */
function ssListener(name: string): { inode: number; pending: number } | undefined {
  for (const line of execFileSync('ss', ['-xlH'], { encoding: 'utf8' }).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[4] === name) return { inode: Number(f[5]), pending: Number(f[2]) };
  }
  return undefined;
}

const skip = ccMissingReason();

describe.skipIf(skip !== null)('a process blocked in connect() on a full Unix listener', () => {
  let ws: CWorkspace | null = null;
  afterEach(async () => {
    await ws?.remove();
    ws = null;
  });

  it.each([['path', './srv.sock'], ['abstract', '@ipcscope-connect-test']])('waits on the listener (%s), tied to its own socket', async (_kind, name) => {
    ws = new CWorkspace();
    const server = ws.run(ws.compile('server', SERVER), [name]);
    await lineOf(server, 'listening ');
    const client = ws.run(ws.compile('client', CLIENT), [name]);
    const second = Number((await lineOf(client, 'second ')).slice(7));
    const syscall = await sleepingIn(client.pid, [42], 'unix_wait_for_peer');
    expect(Number(syscall[1])).toBe(second); // arg0 is the connecting socket

    // unix_diag (and ss) show a bound name as bind() was given it
    const shown = name;
    const listener = ssListener(shown)!;
    expect(listener.pending).toBe(1);
    const own = socketInode(client.pid, second);

    const snapshot = takeSnapshot({ pids: [client.pid] });
    const proc = snapshot.processes.find((p) => p.pid === client.pid)!;
    expect(proc.blocked).toMatchObject({ op: 'connect', syscallNr: 42, fd: second, wchan: readFileSync(`/proc/${client.pid}/wchan`, 'latin1'), object: `unix:${listener.inode}` });
    expect(proc.fds.find((f) => f.fd === second)?.object).toBe(`unix:${own}`);
    const shownListener = snapshot.objects.find((o): o is UnixSocketObject => o.id === `unix:${listener.inode}`);
    expect(shownListener).toMatchObject({ state: 'LISTEN', pending: 1, path: shown });
    expect(shownListener!.holders.map((h) => h.pid)).toEqual([server.pid]);
  });
});
