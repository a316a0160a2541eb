/**
 * The picker's list under load, on real processes: the light pass over /proc
 * gives the event loop a turn every LIGHT_SCAN_SLICE_MS of reading (so frames
 * keep coming while it reads a thousand), counts a FIFO held by path as the
 * kernel's FIFO it is, and while the whole machine is observed the list is
 * made from the observation's own snapshot (no second pass over /proc).
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildSet } from '../cli/cli-test-support';
import type { ProcessList } from '../model/process-list-types';
import { LIGHT_SCAN_SLICE_MS, lightProcess, lightScan } from './process-light-scan';
import { createSession, type Session } from './session';
import { recordFrames, until } from './session-test-helpers';

const children = new ChildSet();
let session: Session | null = null;
let dir = '';

afterEach(async () => {
  await session?.dispose();
  session = null;
  await children.killAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** Distinct pipe and socket inodes in /proc/PID/fd: what the kernel says the process holds. */
function ipcLinks(pid: number): number {
  const links = readdirSync(`/proc/${pid}/fd`).map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`));
  return new Set(links.filter((link) => /^(pipe|socket):\[/.test(link))).size;
}

describe('the picker list under load', () => {
  it('reads /proc in slices, giving the event loop a turn between them', async () => {
    let turns = 0;
    let scanning = true;
    const tick = (): void => {
      turns += 1;
      if (scanning) setImmediate(tick);
    };
    setImmediate(tick);
    const started = performance.now();
    const rows = await lightScan();
    const took = performance.now() - started;
    scanning = false;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.find((row) => row.pid === 1)?.comm).toBeTruthy();
    /* no read of /proc longer than a slice without a turn: a scan that took 3 slices had 2 turns or more (not a speed check) */
    expect(turns).toBeGreaterThanOrEqual(Math.floor(took / LIGHT_SCAN_SLICE_MS) > 2 ? 2 : 0);
  });

  it('counts a FIFO opened by path as one IPC object', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ipcscope-list-fifo-'));
    const fifo = join(dir, 'f');
    const sh = children.spawn('sh', ['-c', `mkfifo "$0" && exec 3<>"$0" 4<>"$0" && exec sleep 1000`, fifo], ['ignore', 'ignore', 'ignore'], true).pid;
    await until(() => {
      try {
        return readlinkSync(`/proc/${sh}/exe`).endsWith('/sleep') && readlinkSync(`/proc/${sh}/fd/4`) === fifo;
      } catch {
        return false;
      }
    }, 30_000);
    expect(statSync(`/proc/${sh}/fd/3`).isFIFO()).toBe(true);
    /* fds 3 and 4 are the same FIFO: one object, besides the pipes and sockets it inherited */
    expect(lightProcess(sh)).toMatchObject({ pid: sh, comm: 'sleep', ipcObjects: ipcLinks(sh) + 1 });
  });

  it('lists from the observation\'s snapshot while the whole machine is observed', async () => {
    const sh = children.spawn('sh', ['-c', 'sleep 1000 | cat'], ['ignore', 'ignore', 'ignore'], true).pid;
    session = await createSession();
    const recorded = recordFrames(session);
    try {
      expect((await session.handle({ type: 'observe', all: true })).ok).toBe(true);
      await until(() => recorded.frames.some((frame) => frame.processes.some((p) => p.ppid === sh && p.comm === 'cat')), 30_000);
      const result = await session.handle({ type: 'processes.list', query: `sh ${sh}` });
      if (!result.ok) throw new Error(result.error);
      const answer = result.data as ProcessList;
      /* the rows are the snapshot of a frame already sent */
      expect(recorded.frames.some((frame) => frame.takenAt === answer.takenAt)).toBe(true);
      expect(answer.rows.find((row) => row.pid === sh)).toMatchObject({ comm: 'sh', cmdline: 'sh -c sleep 1000 | cat', ipcObjects: ipcLinks(sh) });
    } finally {
      recorded.stop();
    }
  }, 90_000);
});
