import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { queryUnixSocket } from '../../probe/kinds/sockets/unix-sockets';
import { runSs } from '../../probe/testing/socket-test-context';
import { LessonRun, until } from '../testing/lesson-run';
import { killEngineFixture } from '../testing/killed-engine';
import { unixStreamServer } from './unix-stream-server';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

/** `ss -xl` for one path: state, Recv-Q (connections waiting to be accepted) and Send-Q (the backlog). */
function ssListener(path: string): { state: string; recvQ: number; sendQ: number } | null {
  const line = runSs('-xl').find((l) => l.trim().split(/\s+/)[4] === path);
  if (!line) return null;
  const f = line.trim().split(/\s+/);
  return { state: f[1]!, recvQ: Number(f[2]), sendQ: Number(f[3]) };
}

/** Every unix socket line `ss -xa` prints that names `path` (listener or a socket accepted from it). */
const ssNaming = (path: string): string[] => runSs('-xa').filter((l) => l.includes(path));

const view = () => run!.runner.view(false, 1);
const bytesOf = async (index: number) => Buffer.from((await run!.returned(index)).data ?? '', 'base64').toString();

describe('a Unix domain stream server and its clients', () => {
  it('bind makes a type-s file with no blocks; two connects complete into the backlog before accept, as ss -xl shows', async () => {
    run = await LessonRun.start(unixStreamServer);
    const path = `${run.runner.dir!}/echo.sock`;
    await run.stepTo(3);
    const st = lstatSync(path);
    expect(st.isSocket()).toBe(true);
    expect([st.size, st.blocks]).toEqual([0, 0]);
    expect(view().claims[0]!.verdict).toMatchObject({ holds: 'holds', measured: { type: 's', st_size: 0, st_blocks: 0 } });
    /* bound, not listening: ss -xl lists it all the same, as UNCONN with no backlog (measured) */
    expect(ssListener(path)).toEqual({ state: 'UNCONN', recvQ: 0, sendQ: 0 });

    await run.stepTo(4);
    expect(ssListener(path)).toEqual({ state: 'LISTEN', recvQ: 0, sendQ: 5 });

    await run.stepTo(5);
    /* connect returns with nobody accepting: the connection waits in the queue */
    expect(await run.step()).toEqual({ index: 5, status: 'done' });
    expect((await run.returned(5)).result).toBe(0);
    expect(ssListener(path)).toEqual({ state: 'LISTEN', recvQ: 1, sendQ: 5 });
    expect(view().steps[5]!.question?.verdict?.correct).toBe('returns');

    await run.stepTo(8);
    expect((await run.returned(7)).result).toBe(0);
    expect(ssListener(path)).toEqual({ state: 'LISTEN', recvQ: 2, sendQ: 5 });
    expect(view().claims[1]!.verdict).toMatchObject({ holds: 'differs', measured: { 'pending (Recv-Q)': 2, 'backlog (Send-Q)': 5 } });

    /* accept takes one: it leaves the queue and becomes a connected pair */
    await run.stepTo(9);
    expect((await run.returned(8)).result).toBeGreaterThanOrEqual(0);
    expect(ssListener(path)).toEqual({ state: 'LISTEN', recvQ: 1, sendQ: 5 });
    expect(view().steps[8]!.question?.verdict?.correct).toBe('1');
    expect(ssNaming(path).filter((l) => l.includes('ESTAB'))).toHaveLength(1);

    await run.stepTo(13);
    expect(await bytesOf(10)).toBe('hello\n');
    expect(await bytesOf(12)).toBe('hello\n');
    await run.stepTo(15);
    expect((await run.returned(14)).result).toBe(0);

    await run.stepTo(20);
    /* the never-accepted client, after the listener closed */
    const dropped = await run.returned(19);
    expect([dropped.result, dropped.errno]).toEqual([-1, 'ECONNRESET']);
    expect(ssListener(path)).toBeNull();

    /* the anonymous version: two sockets joined to each other, no name (sock_diag has no path for them) */
    await run.stepTo(24);
    const made = await run.returned(23);
    expect(made.result).toBe(0);
    /* the server's sockets from fd 20 up: the actor's own channels sit below, the listener and the accepted one are closed */
    const serverPid = run.pid('server');
    const inodes = readdirSync(`/proc/${serverPid}/fd`)
      .filter((fd) => Number(fd) >= 20)
      .map((fd) => /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${serverPid}/fd/${fd}`))?.[1])
      .filter((i) => i !== undefined);
    expect(inodes).toHaveLength(2);
    const [a, b] = inodes.map((i) => queryUnixSocket(Number(i)));
    expect([a!.state, b!.state, a!.peer, b!.peer, a!.path, b!.path]).toEqual([1, 1, b!.inode, a!.inode, null, null]);
    await run.stepTo(26);
    expect(await bytesOf(25)).toBe('ping\n');

    await run.stepTo(unixStreamServer.steps.length);
    await until(() => run!.runner.finished, 30_000);
    expect(existsSync(path)).toBe(false);
    expect(view().error).toBeNull();
    await run.disposeAndCheck();
    expect(ssNaming(path)).toEqual([]);
    run = null;
  });

  it('at every step, the listener numbers the probe reads (what the glyph draws) equal ss -xl', async () => {
    run = await LessonRun.start(unixStreamServer);
    const path = `${run.runner.dir!}/echo.sock`;
    let inode = 0;
    const seen: string[] = [];
    while (run.runner.next < unixStreamServer.steps.length) {
      const { index } = await run.step();
      if (index === 0) {
        await run.returned(0);
        /* the socket() step's object: unix:<inode>, the listener-to-be */
        inode = Number(view().objects.find((o) => o.startsWith('unix:'))?.split(':')[1] ?? 0);
      }
      const ss = ssListener(path);
      const probe = inode > 0 ? queryUnixSocket(inode) : null;
      if (ss?.state === 'LISTEN') {
        expect(probe && [probe.rqueue, probe.wqueue], `step ${index}`).toEqual([ss.recvQ, ss.sendQ]);
        seen.push(`${ss.recvQ}/${ss.sendQ}`);
      }
    }
    expect(inode).toBeGreaterThan(0);
    /* listen, client1 socket, connect, client2 socket, connect, accept, then 1 until the listener closes */
    expect(seen.slice(0, 6)).toEqual(['0/5', '0/5', '1/5', '1/5', '2/5', '1/5']);
    expect(new Set(seen.slice(6))).toEqual(new Set(['1/5']));
    await until(() => run!.runner.finished, 30_000);
    await run.disposeAndCheck();
    run = null;
  });

  it('stopped half-way with two connections pending leaves no process, no socket and no socket file', async () => {
    run = await LessonRun.start(unixStreamServer);
    const dir = run.runner.dir!;
    const path = `${dir}/echo.sock`;
    await run.stepTo(8);
    await until(() => ssListener(path)?.recvQ === 2, 30_000);
    await run.disposeAndCheck();
    run = null;
    expect(existsSync(dir)).toBe(false);
    expect(ssNaming(path)).toEqual([]);
  });

  it('a socket path that exists: bind fails with EADDRINUSE, named in the lesson error; nothing left', async () => {
    run = await LessonRun.start(unixStreamServer, { name: 'taken' });
    const path = `${run.runner.dir!}/echo.sock`;
    await run.stepTo(3);
    const bound = await run.returned(2);
    expect([bound.result, bound.errno]).toEqual([-1, 'EADDRINUSE']);
    expect(view().error).toContain('EADDRINUSE');
    expect(view().error).toContain(`${path} already exists`);
    /* the file that held the name is a plain file, not a socket */
    expect(lstatSync(path).isFile()).toBe(true);
    await run.disposeAndCheck();
    run = null;
  });

  it('a path too long for sun_path: bind is refused with a message naming 108 bytes; nothing left', async () => {
    run = await LessonRun.start(unixStreamServer, { name: 'long' });
    await run.stepTo(2);
    await run.returned(1);
    expect(view().error).toMatch(/bind failed: EINVAL \(the path .+ is \d+ bytes with its final NUL; sun_path holds 108\)/);
    await run.disposeAndCheck();
    run = null;
  });

  it('an engine killed with SIGKILL leaves no process, no socket and no socket file', async () => {
    await killEngineFixture('unix-stream-engine-fixture.ts', {
      before: ({ dir }) => {
        const path = `${dir}/echo.sock`;
        expect(lstatSync(path).isSocket()).toBe(true);
        expect(ssListener(path)).toEqual({ state: 'LISTEN', recvQ: 2, sendQ: 5 });
      },
      after: ({ dir }) => until(() => ssNaming(`${dir}/echo.sock`).length === 0, 30_000),
      timeoutMs: 30_000,
    });
  }, 120_000);
});
