/**
 * Every process and descriptor the benchmark creates, in one registry so the
 * end of the run and Ctrl-C can kill, reap and close all of it.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { native } from '../native-bridge/libc/libc';

const children = new Set<ChildProcess>();
const descriptors = new Set<number>();
let stopping = false;

export class Interrupted extends Error {
  override name = 'Interrupted';
}

/** Lets the event loop run (signal handlers included); throws once clean-up has begun. */
export async function yieldToSignals(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (stopping) throw new Interrupted('interrupted');
}

/** Spawns a program; descriptors reach it only through `stdio` (all ours are O_CLOEXEC). */
export function spawnTracked(command: string, args: string[], stdio: StdioOptions, cwd?: string): ChildProcess & { pid: number } {
  if (stopping) throw new Interrupted('interrupted');
  const child = spawn(command, args, { stdio, cwd });
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child as ChildProcess & { pid: number };
}

export function trackFds(...fds: number[]): void {
  for (const fd of fds) descriptors.add(fd);
}

export function closeTracked(...fds: number[]): void {
  for (const fd of fds) {
    if (descriptors.delete(fd)) native.close(fd);
  }
}

/** Resolves when the child has exited and been reaped (Node reaps on 'exit'). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function killTracked(list: Iterable<ChildProcess>): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const child of list) {
    waits.push(exited(child));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await Promise.all(waits);
}

export async function cleanUpEverything(): Promise<void> {
  stopping = true;
  closeTracked(...descriptors);
  await killTracked([...children]);
}

export function trackedCount(): number {
  return children.size;
}
