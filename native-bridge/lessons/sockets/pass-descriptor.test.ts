import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { parentOf } from '../../actor/reaper';
import { waitpidNoHang } from '../../actor/reaper-libc';
import { FIRST_LINE, IN_FLIGHT_LINE, passDescriptor } from './pass-descriptor';
import { LessonRun, holdersOf, until } from '../testing/lesson-run';

let run: LessonRun | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
});

const view = () => run!.runner.view(false, 1);
const ppid = (pid: number) => Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
/** The descriptors of `pid` that point at `target`. */
const fdsOn = (pid: number, target: string) => readdirSync(`/proc/${pid}/fd`).filter((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`) === target);
/** Holders of `target` whose descriptor is open for reading (fdinfo flags & 3 == O_RDONLY). */
const readEnds = (target: string) =>
  holdersOf(target).filter((h) => {
    const [pid, fd] = h.split('/');
    return (parseInt(/flags:\s+([0-7]+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))![1]!, 8) & 3) === 0;
  });
const scmFds = (pid: number, fd: number) => Number(/scm_fds:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1] ?? NaN);
/** `ss -xa src PATH`: the listener and the accepted socket named by the path (a busy machine's whole list overflows a pipe buffer). */
const ssNaming = (path: string): string[] =>
  execFileSync('ss', ['-xanH', 'src', path], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n')
    .filter((l) => l.trim() !== '');
/** Recv-Q of the socket with this inode, as `ss -x` prints it (local inode in the sixth column). */
const ssRecvQ = (path: string, inode: number) =>
  Number(ssNaming(path).map((l) => l.trim().split(/\s+/)).find((f) => Number(f[5]) === inode)?.[2] ?? NaN);

describe('passing a pipe\'s read end over a Unix socket (SCM_RIGHTS)', () => {
  it('an unrelated process receives the pipe under its own number and reads it; in flight, the pipe keeps a reader', async () => {
    run = await LessonRun.start(passDescriptor);
    const path = `${run.runner.dir!}/pass.sock`;
    const [sender, receiver] = [run.pid('sender'), run.pid('receiver')];
    /* siblings: both children of the engine (this test process), neither the other's parent */
    expect([ppid(sender), ppid(receiver)]).toEqual([process.pid, process.pid]);

    await run.stepTo(4);
    expect((await run.returned(3)).result).toBe(0);
    /* pipe2([p0, p1]) as the event shows it */
    const [p0, p1] = /pipe2\(\[(\d+), (\d+)\]/.exec((await run.returned(3)).text)!.slice(1).map(Number) as [number, number];
    expect(p0).toBeGreaterThan(2);
    const target = readlinkSync(`/proc/${sender}/fd/${p0}`);
    expect(target).toMatch(/^pipe:\[\d+\]$/);
    /* the receiver did not inherit it: none of its descriptors points at this pipe (Node's own pipes are others) */
    expect(fdsOn(receiver, target)).toEqual([]);

    await run.stepTo(8);
    expect(lstatSync(path).isSocket()).toBe(true);
    const accepted = await run.returned(7);
    const cfd = accepted.result as number;
    const cfdInode = Number(/socket:\[(\d+)\]/.exec(readlinkSync(`/proc/${receiver}/fd/${cfd}`))![1]);

    /* sendmsg: one data byte queued at the receiver's end, one descriptor in flight there */
    await run.stepTo(9);
    expect((await run.returned(8)).result).toBe(1);
    expect(ssRecvQ(path, cfdInode)).toBe(1);
    expect(scmFds(receiver, cfd)).toBe(1);

    /* the sender closes its read end: no process holds one; the write end is still the sender's */
    await run.stepTo(10);
    expect((await run.returned(9)).result).toBe(0);
    expect(readEnds(target)).toEqual([]);
    expect(holdersOf(target)).toEqual([`${sender}/${p1}`]);
    expect(fdsOn(receiver, target)).toEqual([]);

    /* a write while in flight: no EPIPE, no SIGPIPE; the sender is alive and awake */
    await run.stepTo(11);
    const wrote = await run.returned(10);
    expect([wrote.result, wrote.errno]).toEqual([IN_FLIGHT_LINE.length, null]);
    expect(readKernelWait(sender)?.state).not.toBe('Z');
    expect(view().steps[10]!.question?.verdict?.correct).toBe('writes');
    expect(ssRecvQ(path, cfdInode)).toBe(1);
    expect(scmFds(receiver, cfd)).toBe(1);

    /* recvmsg: the same pipe, a number of the receiver's own; the queue is empty again */
    await run.stepTo(12);
    const received = await run.returned(11);
    expect(received.result).toBe(1);
    const pfd = Number(/SCM_RIGHTS \[(\d+)\]/.exec(received.text)![1]);
    expect(readlinkSync(`/proc/${receiver}/fd/${pfd}`)).toBe(target);
    expect(readEnds(target)).toEqual([`${receiver}/${pfd}`]);
    /* recvmsg installs at the receiver's lowest free number: there its listener and accepted socket already hold the numbers the sender's pipe got */
    expect(pfd).not.toBe(p0);
    expect(ssRecvQ(path, cfdInode)).toBe(0);
    expect(scmFds(receiver, cfd)).toBe(0);

    /* it reads both lines, the second written while the read end was in flight */
    await run.stepTo(13);
    const read = await run.returned(12);
    expect(Buffer.from(String(read.data), 'base64').toString()).toBe(FIRST_LINE + IN_FLIGHT_LINE);
    expect(view().steps[12]!.question?.verdict?.correct).toBe('both');
    expect(view().claims[0]!.verdict).toMatchObject({
      holds: 'differs',
      measured: { sender, receiver, 'sender PPid': process.pid, 'receiver PPid': process.pid, "receiver's fd": pfd, 'bytes read': 31 },
    });

    /* the sender closes the only write end: the receiver reads 0 (EOF) */
    await run.stepTo(16);
    expect((await run.returned(15)).result).toBe(0);

    await run.stepTo(passDescriptor.steps.length);
    await until(() => run!.runner.finished, 30_000);
    expect(view().error).toBeNull();
    expect(existsSync(path)).toBe(false);
    expect(holdersOf(target)).toEqual([]);
    await run.disposeAndCheck();
    run = null;
  });

  it('stopped with the read end in flight leaves no process, no pipe, no socket and no socket file', async () => {
    run = await LessonRun.start(passDescriptor);
    const dir = run.runner.dir!;
    const path = `${dir}/pass.sock`;
    await run.stepTo(11);
    await run.returned(10);
    const pipe = view().objects.find((id) => id.startsWith('pipe:'))!;
    await run.disposeAndCheck();
    run = null;
    expect(existsSync(dir)).toBe(false);
    expect(holdersOf(`pipe:[${pipe.split(':')[1]}]`)).toEqual([]);
    expect(ssNaming(path)).toEqual([]);
  });

  it('an engine killed with SIGKILL while the read end is in flight leaves nothing', async () => {
    const engine = spawn(process.execPath, ['--import', 'tsx', new URL('../testing/pass-descriptor-engine-fixture.ts', import.meta.url).pathname], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: engine.stdout! }).once('line', resolve);
        engine.once('exit', (code) => reject(new Error(`engine exited early (${code})`)));
      });
      const { dir, pids, watchdog, pipe } = JSON.parse(line) as { dir: string; pids: number[]; watchdog: number; pipe: string };
      const path = `${dir}/pass.sock`;
      const target = `pipe:[${pipe.split(':')[1]}]`;
      expect(lstatSync(path).isSocket()).toBe(true);
      /* in flight: only the sender's write end is held */
      expect(holdersOf(target)).toHaveLength(1);
      engine.kill('SIGKILL');
      await until(() => !existsSync(dir), 30_000);
      const dead = (pid: number): boolean => {
        if (parentOf(pid) === process.pid) waitpidNoHang(pid);
        const wait = readKernelWait(pid);
        return wait === null || wait.state === 'Z';
      };
      await until(() => [...pids, watchdog].every(dead), 30_000);
      await until(() => holdersOf(target).length === 0 && ssNaming(path).length === 0, 30_000);
    } finally {
      engine.kill('SIGKILL');
    }
  });
});
