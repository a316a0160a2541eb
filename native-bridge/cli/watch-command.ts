/**
 * `ipcscope watch`: samples at a fixed rate with one Sampler (files and
 * pidfds held between ticks) and prints each change as one line, or one JSON
 * object per line with --json. Ctrl-C (SIGINT) or SIGTERM stop it cleanly.
 */
import type { Snapshot } from '../model/snapshot-types';
import { Sampler, WATCH_SAMPLER_OPTIONS } from '../probe/index';
import type { WatchArgs } from './args';
import { requireInSnapshot, requireProcesses } from './process-check';
import { keepStdoutClean } from './snapshot-command';
import { counted } from './describe';
import { diffSnapshots, type Change, type DiffOptions } from './snapshot-diff';

function clock(time: number): string {
  const date = new Date(time);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function formatChange(change: Change, json: boolean): string {
  return json ? JSON.stringify(change) : `${clock(change.time)}  ${change.text}`;
}

export async function runWatch(args: WatchArgs): Promise<number> {
  if (args.json) keepStdoutClean();
  const pids = 'pids' in args.scope ? args.scope.pids : [];
  requireProcesses(pids);
  /*
   * No peeking: watch reports numbers, and holding pidfd duplicates every tick
   * would change what is observed. /proc/PID/io shows the traffic no tick
   * catches queued (read only for processes that ran since the last tick).
   */
  const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readMaps: true, readSignals: false, readIo: true });
  let previous: Snapshot;
  try {
    previous = sampler.sample(args.scope);
    requireInSnapshot(pids, previous);
  } catch (error) {
    sampler.close();
    throw error;
  }
  const followsFixedSet = 'pids' in args.scope && !args.scope.tree;
  process.stderr.write(
    `ipcscope: watching ${counted(previous.processes.length, 'process', 'processes')} and ${counted(previous.objects.length, 'object')} at ${args.rateHz} Hz (Ctrl-C to stop)\n`,
  );
  const diffOptions: DiffOptions = { wholeMachine: 'all' in args.scope, observer: process.pid };

  return new Promise<number>((resolve, reject) => {
    let timer: NodeJS.Timeout | null = null;
    const stop = (code: number, error?: unknown): void => {
      if (timer) clearInterval(timer);
      timer = null;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      sampler.close();
      if (error !== undefined) reject(error);
      else resolve(code);
    };
    const onSignal = (): void => stop(0);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    /*
     * main.ts's stdout 'error' listener runs first: on EPIPE (watch ... | head)
     * it exits 0 at once; any other error it has already reported in one line
     * with exit code 1. Here the watch only stops and keeps that 1 (passing the
     * error on would report it a second time).
     */
    process.stdout.on('error', () => stop(1));

    const tick = (): void => {
      try {
        const next = sampler.sample(args.scope);
        const lines = diffSnapshots(previous, next, diffOptions).map((change) => formatChange(change, args.json));
        if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
        previous = next;
        if (followsFixedSet && next.processes.length === 0) {
          process.stderr.write('ipcscope: every watched process has exited\n');
          stop(0);
        }
      } catch (error) {
        stop(1, error);
      }
    };
    timer = setInterval(tick, 1000 / args.rateHz);
  });
}
