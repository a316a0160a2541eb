/**
 * `ipcscope run`'s kept frame on real processes: the command's exit is seen
 * (and reaped) a sample or more after it died, and a sample can land in
 * between and show it a zombie with no descriptors. The frame kept once it
 * ended is the last one in which it was alive, holding its pipe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../cli/wait-for';
import { Observation } from './observation';

let child: ChildProcess | null = null;
let observation: Observation | null = null;

afterEach(async () => {
  observation?.close();
  observation = null;
  if (child && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }
  child = null;
});

const stateOf = (pid: number): string | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
};

describe('the last frame of an observed command', () => {
  it('is the last sample in which it was alive, not the zombie sampled after its death', async () => {
    /* sh reads its stdin, a pipe from us, and sleeps in read until killed */
    child = spawn('sh', ['-c', 'read line'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const pid = child.pid!;
    const stdin = readlinkSync(`/proc/${pid}/fd/0`);
    await waitFor('sh asleep in read', () => stateOf(pid) === 'S' || undefined, 30_000, 10);
    observation = Observation.open({ pids: [pid], tree: true });
    const alive = await waitFor('a sample that shows sh holding its stdin', () => {
      const snapshot = observation!.sample();
      return snapshot.processes.find((p) => p.pid === pid)?.fds.some((fd) => fd.fd === 0) ? snapshot : undefined;
    }, 30_000, 20);

    child.kill('SIGKILL');
    /* no await until sampled: Node reaps only when its event loop turns, so the kernel keeps sh a zombie meanwhile */
    const deadline = Date.now() + 30_000;
    while (stateOf(pid) !== 'Z' && Date.now() < deadline) {
      /* spin: the kernel delivers SIGKILL on its own */
    }
    expect(stateOf(pid)).toBe('Z');
    const dead = observation.sample();
    expect(dead.processes.find((p) => p.pid === pid)?.state ?? 'gone').toMatch(/^(Z|gone)$/);
    observation.ended({ code: null, signal: 'SIGKILL' });

    const kept = observation.sample();
    expect(kept.takenAt).toBeGreaterThanOrEqual(alive.takenAt);
    expect(kept.takenAt).toBeLessThan(dead.takenAt);
    const sh = kept.processes.find((p) => p.pid === pid);
    expect(sh?.state).not.toBe('Z');
    expect(sh?.fds.find((fd) => fd.fd === 0)?.target).toBe(stdin);
    expect(observation.view()).toMatchObject({ pids: [pid], tree: true, exit: { code: null, signal: 'SIGKILL' } });
  });
});
