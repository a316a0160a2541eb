/**
 * The picker's list under load, on real processes: the light pass over /proc
 * gives the event loop a turn every LIGHT_SCAN_SLICE_MS of reading (so frames
 * keep coming while it reads a thousand), counts a FIFO held by path as the
 * kernel's FIFO it is, counts a System V segment attached without any
 * descriptor (from /proc/PID/maps), and while the whole machine is observed the list is
 * made from the observation's own snapshot (no second pass over /proc).
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ChildSet } from '../cli/cli-test-support';
import { python3MissingReason, PythonSituation } from '../diagnose/testing/python-situation';
import type { ProcessList } from '../model/process-list-types';
import { LIGHT_SCAN_SLICE_MS, lightProcess, lightScan, mappedShmOnMachine } from './process-light-scan';
import { createSession, type Session } from './session';
import { recordFrames, until } from './session-test-helpers';

const children = new ChildSet();
let session: Session | null = null;
let dir = '';
const situations: PythonSituation[] = [];
const segments: number[] = [];

afterEach(async () => {
  for (const s of situations.splice(0)) await s.kill();
  /* removed by its attacher at once (IPC_RMID): this only catches a program that died before */
  for (const shmid of segments.splice(0)) {
    try {
      execFileSync('ipcrm', ['-m', `${shmid}`], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
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

  it.skipIf(python3MissingReason() !== null)('counts a System V segment attached twice (no descriptor) as one IPC object', async () => {
    /* IPC_RMID while attached: the kernel removes it when the last attacher goes, so nothing is left even if the test fails */
    const s = new PythonSituation(`
import ctypes, time
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
shm = libc.shmget(0, 4096, 0o1600)
say("made", shm)
assert libc.shmat(shm, None, 0) not in (None, ctypes.c_void_p(-1).value)
assert libc.shmat(shm, None, 0) not in (None, ctypes.c_void_p(-1).value)
assert libc.shmctl(shm, 0, None) == 0
say("attached", shm)
time.sleep(1000)
`);
    situations.push(s);
    const [made] = await s.numbers('made');
    segments.push(made!);
    const [shmid] = await s.numbers('attached');
    /* the kernel: two attachments, no descriptor for the segment */
    const sysv = readFileSync('/proc/sysvipc/shm', 'latin1').split('\n').map((line) => line.trim().split(/\s+/));
    expect(sysv.find((cols) => cols[1] === `${shmid}`)?.[6]).toBe('2');
    const maps = readFileSync(`/proc/${s.pid}/maps`, 'latin1').split('\n').filter((line) => line.includes('/SYSV'));
    expect(maps.map((line) => line.trim().split(/\s+/)[4])).toEqual([`${shmid}`, `${shmid}`]);
    expect(readdirSync(`/proc/${s.pid}/fd`).some((fd) => readlinkSync(`/proc/${s.pid}/fd/${fd}`).includes('SYSV'))).toBe(false);
    expect(mappedShmOnMachine()).toBe(true);
    expect(lightProcess(s.pid)).toMatchObject({ pid: s.pid, ipcObjects: ipcLinks(s.pid) + 1 });
    expect((await lightScan()).find((row) => row.pid === s.pid)).toMatchObject({ ipcObjects: ipcLinks(s.pid) + 1 });
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
