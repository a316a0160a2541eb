import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { native, O_CLOEXEC } from '../../native-bridge/libc/libc';
import { startTime } from './actor-sweep';
import { gone } from './actors-gone';
import type { FromEngine, ToEngine } from './engine-protocol';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The real engine-process.ts, run under Node with parentPort played over a
 * fork() IPC channel: real session, real actor processes. What is asserted is
 * what /proc shows about those processes.
 */
class EngineUnderTest {
  readonly child: ChildProcess;
  readonly messages: FromEngine[] = [];
  private readonly waiters: Array<() => void> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(inherited: number[] = []) {
    this.child = fork(resolve(ROOT, 'electron', 'engine', 'engine-process.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx', '--import', resolve(ROOT, 'electron', 'engine', 'parent-port-shim.ts')],
      /* extra descriptors land at fd 4, 5, ... without close-on-exec, as a sloppy launcher would leave them */
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', ...inherited],
      env: { ...process.env, IPCSCOPE_ACTOR_JS: undefined },
    });
    this.child.on('message', (message) => {
      this.messages.push(message as FromEngine);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exited = new Promise((done) => this.child.once('exit', (code, signal) => done({ code, signal })));
  }

  post(message: ToEngine): void {
    this.child.send(message);
  }

  async next<K extends FromEngine['kind']>(kind: K, match: (m: Extract<FromEngine, { kind: K }>) => boolean = () => true, timeoutMs = 20_000): Promise<Extract<FromEngine, { kind: K }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m): m is Extract<FromEngine, { kind: K }> => m.kind === kind && match(m as Extract<FromEngine, { kind: K }>));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no "${kind}" message from the engine within ${timeoutMs} ms`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 100);
      });
    }
  }

  async call(id: number, command: unknown): Promise<{ ok: boolean; data?: unknown; error?: string }> {
    this.post({ kind: 'command', id, command } as ToEngine);
    const reply = await this.next('result', (m) => m.id === id);
    return reply.result as { ok: boolean; data?: unknown; error?: string };
  }
}

describe('engine-process (real session, real actors)', () => {
  const engines: EngineUnderTest[] = [];
  const actors: Array<{ pid: number; started: string }> = [];

  afterEach(async () => {
    for (const engine of engines.splice(0)) {
      if (engine.child.exitCode === null && engine.child.signalCode === null) {
        engine.child.kill('SIGKILL');
        await engine.exited;
      }
    }
    for (const { pid, started } of actors.splice(0)) {
      if (startTime(pid) === started) process.kill(pid, 'SIGKILL');
    }
  });

  async function startLesson(engine: EngineUnderTest): Promise<number[]> {
    await engine.next('ready');
    const list = await engine.call(1, { type: 'lessons.list' });
    expect(list.ok).toBe(true);
    const lessons = list.data as Array<{ id: string }>;
    expect(lessons.length).toBeGreaterThan(0);
    const started = await engine.call(2, { type: 'lesson.start', lesson: lessons[0]!.id });
    expect(started, JSON.stringify(started)).toMatchObject({ ok: true });
    const roles = (started.data as { roles: Record<string, number> }).roles;
    const pids = Object.values(roles);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) {
      const started = startTime(pid);
      expect(started, `actor ${pid} alive`).not.toBeNull();
      actors.push({ pid, started: started! });
    }
    return pids;
  }

  it('runs commands, streams frames, and on dispose kills and reaps its actors before exiting 0', async () => {
    const engine = new EngineUnderTest();
    engines.push(engine);
    const pids = await startLesson(engine);
    const frame = await engine.next('frame', (m) => m.frame.lesson !== null);
    expect(Object.values(frame.frame.lesson!.roles).sort()).toEqual([...pids].sort());
    expect(await engine.call(3, { type: 'speed', value: 1e9 })).toMatchObject({ ok: false });

    engine.post({ kind: 'dispose' });
    await engine.next('disposed');
    expect(await engine.exited).toEqual({ code: 0, signal: null });
    expect(await gone(pids)).toEqual([]);
  });

  /*
   * Measured here: Node 20 already marks fds > 2 it inherits close-on-exec at start-up (bash `exec 7<&0`:
   * cat sees fdinfo flags 00, node sees 02000000), and Chromium closes unmapped fds when it launches a
   * utility process; markInheritedCloexec() in engine-process.ts is the guarantee where neither holds.
   * So this checks the property, not which of the three provided it.
   */
  it('an inherited descriptor is close-on-exec in the engine and held by no actor', async () => {
    const fds = new Int32Array(2);
    expect(native.pipe2(fds, O_CLOEXEC)).toBe(0);
    try {
      const pipe = readlinkSync(`/proc/self/fd/${fds[0]}`);
      const engine = new EngineUnderTest([fds[0]!]);
      engines.push(engine);
      await engine.next('ready');
      const enginePid = engine.child.pid!;
      /* already at 'ready', before any lesson code ran: the engine holds it at fd 4, flagged O_CLOEXEC (02000000 in fdinfo's octal flags) */
      expect(readlinkSync(`/proc/${enginePid}/fd/4`)).toBe(pipe);
      const flags = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/${enginePid}/fdinfo/4`, 'utf8'))![1]!;
      expect(Number.parseInt(flags, 8) & O_CLOEXEC).toBe(O_CLOEXEC);
      const pids = await startLesson(engine);
      for (const pid of pids) {
        const held = readdirSync(`/proc/${pid}/fd`).map((fd) => {
          try {
            return readlinkSync(`/proc/${pid}/fd/${fd}`);
          } catch {
            return '';
          }
        });
        expect(held, `actor ${pid} must not hold ${pipe}`).not.toContain(pipe);
      }
      engine.post({ kind: 'dispose' });
      await engine.exited;
      expect(await gone(pids)).toEqual([]);
    } finally {
      native.close(fds[0]!);
      native.close(fds[1]!);
    }
  });

  it('on SIGTERM (what utilityProcess.kill() sends) disposes the same way', async () => {
    const engine = new EngineUnderTest();
    engines.push(engine);
    const pids = await startLesson(engine);
    engine.child.kill('SIGTERM');
    expect(await engine.exited).toEqual({ code: 0, signal: null });
    expect(await gone(pids)).toEqual([]);
  });
});
