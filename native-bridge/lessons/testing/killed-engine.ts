/**
 * Test support for "an engine killed with SIGKILL leaves nothing": runs one of
 * the engine fixtures beside this file (a script that starts a lesson, takes it
 * to the moment under test and prints one JSON line naming what it made),
 * checks that moment, SIGKILLs the engine, and waits until the kernel shows
 * every process it named gone and its directory removed (the watchdog's work).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { readKernelWait } from '../../actor/kernel-wait';
import { parentOf } from '../../actor/reaper';
import { waitpidNoHang } from '../../actor/reaper-libc';
import { until } from './lesson-run';

/** What every fixture prints; a lesson's fixture adds its own objects (msqid, inode, ...). */
export interface FixtureLine {
  pids: number[];
  dir?: string;
  watchdog?: number;
}

/** Gone, or a zombie: one reparented to this test process (a subreaper once a team started here) is reaped here. */
export function deadOrZombie(pid: number): boolean {
  if (parentOf(pid) === process.pid) waitpidNoHang(pid);
  const wait = readKernelWait(pid);
  return wait === null || wait.state === 'Z';
}

export interface KillChecks<T> {
  /** What the kernel shows before the kill (the lesson's objects there). */
  before?(line: T): void | Promise<void>;
  /** What it shows once the processes and the directory are gone (the objects removed too). */
  after?(line: T): void | Promise<void>;
  timeoutMs?: number;
}

export async function killEngineFixture<T extends FixtureLine>(fixture: string, checks: KillChecks<T> = {}): Promise<void> {
  const timeoutMs = checks.timeoutMs ?? 15_000;
  const engine = spawn(process.execPath, ['--import', 'tsx', new URL(`./${fixture}`, import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: engine.stdout! }).once('line', resolve);
      engine.once('exit', (code) => reject(new Error(`engine exited early (${code})`)));
    });
    const made = JSON.parse(line) as T;
    await checks.before?.(made);
    engine.kill('SIGKILL');
    const named = made.watchdog === undefined ? made.pids : [...made.pids, made.watchdog];
    await until(() => (made.dir === undefined || !existsSync(made.dir)) && named.every(deadOrZombie), timeoutMs);
    await checks.after?.(made);
  } finally {
    engine.kill('SIGKILL');
  }
}
