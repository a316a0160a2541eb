/**
 * Test support for the scan pool: small real processes in fixed kernel
 * states, worker entries that fail in chosen ways, and the part of a
 * snapshot that belongs to the test's own processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closeFd, makePipe } from '../../libc/libc';
import type { IpcObject, ProcessInfo, Snapshot } from '../../model/snapshot-types';

export class TestProcesses {
  private readonly children: ChildProcess[] = [];
  private readonly fds = new Set<number>();
  private readonly dirs: string[] = [];

  pipe(): [number, number] {
    const ends = makePipe();
    ends.forEach((fd) => this.fds.add(fd));
    return ends;
  }

  close(fd: number): void {
    if (this.fds.delete(fd)) closeFd(fd);
  }

  tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ipcscope-pool-'));
    this.dirs.push(dir);
    return dir;
  }

  start(cmd: string, args: string[], stdio: Array<number | 'ignore' | 'pipe'>): ChildProcess {
    const child = spawn(cmd, args, { stdio });
    this.children.push(child);
    return child;
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid ?? 0).filter((pid) => pid > 0);
  }

  async cleanUp(): Promise<void> {
    for (const child of this.children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = exited(child);
        child.kill('SIGKILL');
        await gone;
      }
    }
    for (const fd of [...this.fds]) this.close(fd);
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts `count` `sleep`s, each holding the read end of a pipe, and waits until they sleep. */
export async function startSleepers(processes: TestProcesses, count: number): Promise<void> {
  const started: number[] = [];
  for (let i = 0; i < count; i++) {
    const [r] = processes.pipe();
    started.push(processes.start('sleep', ['120'], [r, 'ignore', 'ignore']).pid ?? 0);
    processes.close(r);
  }
  await until('the sleepers asleep', () => started.every((pid) => wchan(pid) === 'hrtimer_nanosleep'));
}

/** Starts sleepers until the machine has `atLeast` processes: whole-machine snapshots big enough to share out. */
export async function fillMachine(processes: TestProcesses, atLeast: number): Promise<void> {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
  await startSleepers(processes, atLeast - pids);
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export function wchan(pid: number): string {
  return readFileSync(`/proc/${pid}/wchan`, 'latin1');
}

export async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The snapshot's processes among `pids` and the objects they hold or wait on, in a stable order. */
export function partOf(snapshot: Snapshot, pids: number[]): { processes: ProcessInfo[]; objects: IpcObject[] } {
  const mine = new Set(pids);
  const processes = snapshot.processes.filter((p) => mine.has(p.pid)).sort((a, b) => a.pid - b.pid);
  const ids = new Set(processes.flatMap((p) => [...p.fds.map((f) => f.object), p.blocked?.object ?? '']));
  const objects = snapshot.objects.filter((o) => ids.has(o.id)).sort((a, b) => a.id.localeCompare(b.id));
  return { processes, objects };
}

/**
 * Writes a worker entry that misbehaves: `body` runs in the worker with
 * `protocol` (scan-protocol.ts) and `workerData` in scope, after tsx is
 * registered. Returns its URL; the directory goes with `processes`.
 */
export function fakeWorkerEntry(processes: TestProcesses, body: string): URL {
  // the entry lives outside the project, so it names tsx's ESM API by path (its CJS build cannot register hooks from ESM)
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  const tsxApi = pathToFileURL(join(dirname(tsxPackage), exports['./esm/api']!.import.default)).href;
  const protocol = new URL('../pool/scan-protocol.ts', import.meta.url).href;
  const file = join(processes.tempDir(), 'entry.mjs');
  writeFileSync(
    file,
    `import { workerData } from 'node:worker_threads';
import { register } from ${JSON.stringify(tsxApi)};
register();
const protocol = await import(${JSON.stringify(protocol)});
${body}
`,
  );
  return pathToFileURL(file);
}
