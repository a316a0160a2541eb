import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { parentOf } from '../../actor/reaper';
import { waitpidNoHang } from '../../actor/reaper-libc';
import type { InetSocketObject } from '../../model/snapshot-types';
import { takeSnapshot } from '../../probe';
import { runSs } from '../../probe/testing/socket-test-context';
import { parseCommand } from '../../model/commands';
import { DEFAULT_LINES, LOG_FILE, MAX_LINE_BYTES, echoLogger } from './echo-logger';
import { LessonParamError, validateParams } from '../lesson-params';
import { LessonRun, until } from '../testing/lesson-run';

let run: LessonRun | null = null;
let holder: Server | null = null;
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
  await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
  holder = null;
});

/** The index of the nth step of `role` whose code starts with `code`. */
function stepOf(role: string, code: string, nth = 1): number {
  let seen = 0;
  const i = echoLogger.steps.findIndex((s) => s.role === role && s.code.startsWith(code) && ++seen === nth);
  if (i < 0) throw new Error(`no step ${role} ${code} #${nth}`);
  return i;
}

interface SsTcp {
  state: string;
  recvQ: number;
  sendQ: number;
  local: string;
  peer: string;
}

/** `ss -tan` lines whose local or peer port is `port`. */
function ssOnPort(port: number): SsTcp[] {
  return runSs('-tan')
    .map((l) => l.trim().split(/\s+/))
    .map((f) => ({ state: f[0]!, recvQ: Number(f[1]), sendQ: Number(f[2]), local: f[3]!, peer: f[4]! }))
    .filter((s) => s.local.endsWith(`:${port}`) || s.peer.endsWith(`:${port}`));
}

/** Every process `ss -tanp` names as holding a socket on `port`. */
const ssUsersOnPort = (port: number): string[] => runSs('-tanp').filter((l) => l.includes(`:${port} `) && l.includes('users:'));

const view = () => run!.runner.view(false, 1);
const bytesOf = async (index: number) => Buffer.from((await run!.returned(index)).data ?? '', 'base64').toString();
/** The port getsockname reported, as the code pane shows it ("= 0, addr = 127.0.0.1:PORT"). */
const chosenPort = (): number => Number(/127\.0\.0\.1:(\d+)$/.exec(view().steps[2]!.result ?? '')?.[1] ?? 0);

/** The TCP sockets the probe reports for the lesson's processes, as the picture gets them. */
function probeTcp(): InetSocketObject[] {
  const snapshot = takeSnapshot({ pids: run!.runner.pids() }, { peekBytes: 64 });
  return snapshot.objects.filter((o): o is InetSocketObject => o.kind === 'tcp');
}

const dead = (pid: number): boolean => readKernelWait(pid) === null;

/* six processes and a real TCP handshake per client: on a loaded machine a run takes far longer than the usual 30 s budget */
describe('the echo server with a logger on TCP loopback', { timeout: 180_000 }, () => {
  it('two connects wait in the listener as ss -tl shows; each line is echoed and logged; children reaped; nothing left', async () => {
    run = await LessonRun.start(echoLogger);
    const dir = run.runner.dir!;
    await run.stepTo(3);
    const port = chosenPort();
    expect(port).toBeGreaterThan(0);
    await run.stepTo(4);
    expect(ssOnPort(port)).toEqual([{ state: 'LISTEN', recvQ: 0, sendQ: 5, local: `127.0.0.1:${port}`, peer: '0.0.0.0:*' }]);

    /* the logger asleep on the empty pipe */
    expect(await run.stepTo(stepOf('logger', 'read') + 1)).toMatchObject({ status: 'blocked' });
    expect(readKernelWait(run.pid('logger'))).toMatchObject({ state: 'S', wchan: 'anon_pipe_read', syscallNr: 0 });

    /* both clients connect before any accept: connect returns 0, the handshakes wait in the queue */
    const connect2 = stepOf('client2', 'connect');
    await run.stepTo(connect2 + 1);
    expect((await run.returned(stepOf('client1', 'connect'))).result).toBe(0);
    expect((await run.returned(connect2)).result).toBe(0);
    const listen = ssOnPort(port).find((s) => s.state === 'LISTEN')!;
    expect([listen.recvQ, listen.sendQ]).toEqual([2, 5]);
    const probed = probeTcp().find((o) => o.state === 'LISTEN')!;
    expect([probed.pending, probed.backlog, probed.local]).toEqual([2, 5, `127.0.0.1:${port}`]);
    expect(view().steps[stepOf('client1', 'connect')]!.question?.verdict?.correct).toBe('returns');
    expect(view().claims[0]!.verdict).toMatchObject({ holds: 'differs', measured: { 'pending (Recv-Q)': 2, 'backlog (Send-Q)': 5 } });
    /* the clients' ends are ESTAB already (ss -tn), though nobody accepted */
    expect(ssOnPort(port).filter((s) => s.state === 'ESTAB' && s.peer === `127.0.0.1:${port}`)).toHaveLength(2);

    /* accept, fork, the parent closes its copy: child1 alone holds the connection */
    await run.stepTo(stepOf('child1', 'close(lfd)') + 1);
    const child1 = run.pid('child1');
    expect(ssOnPort(port).find((s) => s.state === 'LISTEN')!.recvQ).toBe(1);
    expect(probeTcp().find((o) => o.state === 'LISTEN')!.pending).toBe(1);
    const served1 = probeTcp().find((o) => o.state === 'ESTAB' && o.local === `127.0.0.1:${port}`)!;
    expect(served1.holders.map((h) => h.pid)).toEqual([child1]);

    await run.stepTo(stepOf('child2', 'close(lfd)') + 1);
    /* ss -tn: two connections, four ESTAB ends, the listener empty */
    expect(ssOnPort(port).filter((s) => s.state === 'ESTAB')).toHaveLength(4);
    expect(ssOnPort(port).find((s) => s.state === 'LISTEN')!.recvQ).toBe(0);

    /* child1 asleep in recv until client1 sends */
    expect(await run.step()).toMatchObject({ status: 'blocked' });
    expect(readKernelWait(child1)).toMatchObject({ state: 'S', syscallNr: 45 });

    /* client2 sends before child2 reads: the bytes wait in child2's receive queue (ss -tn Recv-Q, probe queued + peek) */
    await run.stepTo(stepOf('client2', 'send') + 1);
    const line2 = `${DEFAULT_LINES[1]}\n`;
    await until(() => ssOnPort(port).some((s) => s.local === `127.0.0.1:${port}` && s.recvQ === line2.length), 10_000);
    const waiting = probeTcp().find((o) => o.local === `127.0.0.1:${port}` && o.queued === line2.length)!;
    expect(waiting.holders.map((h) => h.pid)).toEqual([run.pid('child2')]);
    expect(Buffer.from(waiting.peek ?? '', 'base64').toString()).toBe(line2);

    await run.stepTo(stepOf('client2', 'recv') + 1);
    expect(await bytesOf(stepOf('client1', 'recv'))).toBe(`${DEFAULT_LINES[0]}\n`);
    expect(await bytesOf(stepOf('client2', 'recv'))).toBe(line2);
    expect(readFileSync(`${dir}/${LOG_FILE}`, 'utf8')).toBe(`${DEFAULT_LINES[0]}\n${line2}`);

    /* child1 reads 0 once its client closed, exits, is a zombie until the server's waitpid */
    await run.stepTo(stepOf('child1', 'exit') + 1);
    expect((await run.returned(stepOf('child1', 'recv', 2))).result).toBe(0);
    await until(() => readKernelWait(child1)?.state === 'Z', 10_000);
    await run.stepTo(stepOf('server', 'waitpid') + 1);
    expect((await run.returned(stepOf('server', 'waitpid'))).result).toBe(child1);
    expect(dead(child1)).toBe(true);

    /* the last write end: the logger reads 0 */
    const closeLast = stepOf('server', 'close(pfd[1])');
    await run.stepTo(closeLast + 1);
    expect((await run.returned(stepOf('logger', 'read', 3))).result).toBe(0);
    expect(view().steps[closeLast]!.question?.verdict?.correct).toBe('server-close');

    const pids = [...run.runner.pids()];
    await run.stepTo(echoLogger.steps.length);
    await until(() => run!.runner.finished, 30_000);
    expect(view().error).toBeNull();
    for (const pid of pids) if (pid !== run.pid('server')) expect(dead(pid), `pid ${pid}`).toBe(true);
    await run.disposeAndCheck();
    run = null;
    /* nothing listens; only the clients' ends linger in TIME-WAIT (they closed first), held by no process */
    expect(ssOnPort(port).filter((s) => s.state !== 'TIME-WAIT')).toEqual([]);
    expect(ssUsersOnPort(port)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('stopped half-way (a connection served, one pending, the logger asleep) leaves no process, no socket held, no file', async () => {
    run = await LessonRun.start(echoLogger);
    const dir = run.runner.dir!;
    await run.stepTo(stepOf('child1', 'close(lfd)') + 1);
    const port = chosenPort();
    expect(ssOnPort(port).find((s) => s.state === 'LISTEN')!.recvQ).toBe(1);
    await run.disposeAndCheck();
    run = null;
    expect(existsSync(dir)).toBe(false);
    await until(() => ssUsersOnPort(port).length === 0, 10_000);
    expect(ssOnPort(port).filter((s) => s.state === 'LISTEN' || s.state === 'ESTAB')).toEqual([]);
  });

  it('a port in use: bind fails with EADDRINUSE naming the port and the process that holds it; nothing left', async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve));
    const address = holder.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    run = await LessonRun.start(echoLogger, { port });
    await run.stepTo(2);
    const bound = await run.returned(1);
    expect([bound.result, bound.errno]).toEqual([-1, 'EADDRINUSE']);
    const error = view().error ?? '';
    expect(error).toContain('bind failed: EADDRINUSE');
    expect(error).toContain(`port ${port} on 127.0.0.1 is in use`);
    /* this test's own process holds it, and the message says so */
    expect(error).toContain(`pid ${process.pid}`);
    expect(error).toContain('LISTEN');
    await run.disposeAndCheck();
    run = null;
  });

  it('a port the learner picks is the one the kernel binds (ss -tl), and it is free again afterwards', async () => {
    /* a free port: bind one, note it, let it go */
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    run = await LessonRun.start(echoLogger, { port });
    await run.stepTo(4);
    expect(chosenPort()).toBe(port);
    expect(ssOnPort(port)).toEqual([{ state: 'LISTEN', recvQ: 0, sendQ: 5, local: `127.0.0.1:${port}`, peer: '0.0.0.0:*' }]);
    await run.disposeAndCheck();
    run = null;
    expect(ssOnPort(port)).toEqual([]);
  });

  it('the lines the learner typed are what the clients send: echoed and logged byte for byte', async () => {
    const lines = ['你好，回声', 'line two: ok'];
    run = await LessonRun.start(echoLogger, { line1: lines[0]!, line2: lines[1]! });
    const dir = run.runner.dir!;
    await run.stepTo(stepOf('client2', 'recv') + 1);
    expect(await bytesOf(stepOf('client1', 'recv'))).toBe(`${lines[0]}\n`);
    expect(await bytesOf(stepOf('client2', 'recv'))).toBe(`${lines[1]}\n`);
    expect(readFileSync(`${dir}/${LOG_FILE}`, 'utf8')).toBe(`${lines[0]}\n${lines[1]}\n`);
    await run.disposeAndCheck();
    run = null;
  });

  it('a typed line is bounded and printable: too long, a newline or a direction mark are refused, naming why', () => {
    expect(validateParams(echoLogger, { line1: 'x'.repeat(MAX_LINE_BYTES) }).line1).toBe('x'.repeat(MAX_LINE_BYTES));
    /* bytes, not characters: 17 Han characters are 51 bytes in UTF-8 */
    expect(() => validateParams(echoLogger, { line1: '回'.repeat(17) })).toThrow(`parameter "line1" is 51 bytes in UTF-8; at most ${MAX_LINE_BYTES}`);
    expect(() => validateParams(echoLogger, { line2: 'a\tb' })).toThrow(LessonParamError);
    expect(() => validateParams(echoLogger, { line2: 'abc\u202edcba' })).toThrow('may not hold control or formatting characters');
    expect(() => validateParams(echoLogger, { line2: '' })).toThrow('must be a line of text');
    /* the command's shape is checked before the lesson sees it */
    expect(() => parseCommand({ type: 'lesson.start', lesson: 'echo-logger', params: { line1: 'a\nb' } })).toThrow('without control characters');
    expect(() => parseCommand({ type: 'lesson.start', lesson: 'echo-logger', params: { line1: 'y'.repeat(65) } })).toThrow('at most 64 characters');
    expect(parseCommand({ type: 'lesson.start', lesson: 'echo-logger', params: { line1: 'Hello, world!' } })).toEqual({ type: 'lesson.start', lesson: 'echo-logger', params: { line1: 'Hello, world!' } });
  });

  it('an engine killed with SIGKILL leaves no process, no socket held and no directory', async () => {
    const engine = spawn(process.execPath, ['--import', 'tsx', new URL('../testing/echo-logger-engine-fixture.ts', import.meta.url).pathname], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: engine.stdout! }).once('line', resolve);
        engine.once('exit', (code) => reject(new Error(`engine exited early (${code})`)));
      });
      const { dir, pids, watchdog, port } = JSON.parse(line) as { dir: string; pids: number[]; watchdog: number; port: number };
      expect(port).toBeGreaterThan(0);
      expect(ssOnPort(port).find((s) => s.state === 'LISTEN')).toMatchObject({ recvQ: 1, sendQ: 5 });
      expect(existsSync(`${dir}/${LOG_FILE}`)).toBe(true);
      engine.kill('SIGKILL');
      await until(() => !existsSync(dir), 30_000);
      const gone = (pid: number): boolean => {
        if (parentOf(pid) === process.pid) waitpidNoHang(pid);
        const wait = readKernelWait(pid);
        return wait === null || wait.state === 'Z';
      };
      await until(() => [...pids, watchdog].every(gone), 30_000);
      await until(() => ssUsersOnPort(port).length === 0 && !ssOnPort(port).some((s) => s.state === 'LISTEN' || s.state === 'ESTAB'), 30_000);
    } finally {
      engine.kill('SIGKILL');
    }
  });
});
