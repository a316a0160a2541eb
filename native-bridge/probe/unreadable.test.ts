/**
 * "A process the user may not read is listed with what could be read and a
 * reason; it never stops the snapshot." The probe runs as nobody (65534)
 * through setpriv against root's processes: pid 1 and a root `sleep` started
 * here. What nobody may read is checked against what root reads from the
 * same /proc files (KERNEL-FACTS: another user's wchan reads 0, syscall and
 * fd/N give EACCES; stat and status stay readable).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import { closeFd, makePipe } from '../libc/libc';
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, encodeMsgbuf, sysv } from '../libc/sysv';
import type { MsgQueueObject, ProcessInfo, SemSetObject, ShmObject, Snapshot } from '../model/snapshot-types';
import type { UnreadableReport, WholeSummary } from './testing/accuracy-unreadable-probe';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./testing/accuracy-unreadable-probe.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/ipcscope.js', import.meta.url));
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/**
 * nobody can reach the checkout only when every directory above it grants
 * others search permission (a `mktemp -d` clone is 0700). .ci/run makes sure
 * it does; elsewhere (a clone under /root, say) this file is skipped, loudly.
 */
function searchableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}
const reachable = searchableByOthers(ROOT);
if (isRoot && !reachable && !process.env.CI) {
  console.warn(`unreadable.test.ts skipped: ${ROOT} is not searchable by other users, so the probe cannot run as nobody`);
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let home = '';
let rootSleep: ChildProcess | null = null;
/** Every process this file starts, killed and reaped in afterAll. */
const children: ChildProcess[] = [];
const made = { shm: -1, msg: -1, sem: -1 };

/** Runs `node args...` as uid/gid 65534 with no groups; TMPDIR/HOME are a directory nobody owns (tsx writes its cache there). */
function runAsNobody(nodeArgs: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', process.execPath, ...nodeArgs], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: home, HOME: home, LANG: 'C.UTF-8' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** What root reads from /proc/PID/stat: the fields nobody may read too. */
function statAsRoot(pid: number): { ppid: number; comm: string; state: string } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), state: rest[0]!, ppid: Number(rest[1]) };
}

function threw(value: object): string | null {
  return 'threw' in value && typeof value.threw === 'string' ? value.threw : null;
}

/** A root process as nobody sees it: stat fields right, no descriptors, unreadable with EACCES named per file. */
function expectListedUnreadable(proc: ProcessInfo | undefined, pid: number, mapsRead: boolean): void {
  expect(proc, `pid ${pid} listed`).toBeDefined();
  const kernel = statAsRoot(pid);
  expect(proc).toMatchObject({ pid, ppid: kernel.ppid, comm: kernel.comm, readable: false, fds: [], blocked: null });
  expect(['S', 'D', 'R']).toContain(proc!.state);
  expect(typeof proc!.error).toBe('string');
  expect(proc!.error).toMatch(/fd: permission denied/);
  /* a sleeping task's syscall file is EACCES for another user (wchan reads 0 without an error) */
  if (proc!.state === 'S') expect(proc!.error).toMatch(/syscall: permission denied/);
  if (mapsRead) expect(proc!.error).toMatch(/maps: permission denied/);
}

describe.skipIf(!isRoot || (!reachable && !process.env.CI))('a process nobody may read (probe run as uid 65534 against root processes)', () => {
  beforeAll(async () => {
    /* no descriptor this worker inherited may reach the children as a false holder */
    markInheritedCloexec();
    home = mkdtempSync(join(tmpdir(), 'ipcscope-nobody-'));
    chownSync(home, NOBODY, NOBODY);
    rootSleep = spawn('sleep', ['600'], { stdio: 'ignore' });
    children.push(rootSleep);
    /* root-owned System V objects (mode 0600): listed in /proc/sysvipc for all, IPC_STAT/GETVAL refused to nobody */
    made.shm = sysv.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600);
    made.msg = sysv.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
    made.sem = sysv.semget(IPC_PRIVATE, 2, IPC_CREAT | 0o600);
    expect(Object.values(made).every((id) => id >= 0)).toBe(true);
    const text = new Uint8Array(Buffer.from('root only'));
    expect(sysv.msgsnd(made.msg, encodeMsgbuf(1, text), text.length, 0)).toBe(0);
    /* wait until the sleep has exec'd (comm "sleep") and sleeps */
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const s = statAsRoot(rootSleep.pid!);
      if (s.comm === 'sleep' && s.state === 'S') break;
      await new Promise((r) => setTimeout(r, 10));
    }
  });

  afterAll(async () => {
    try {
      if (made.shm >= 0) sysv.shmctl(made.shm, IPC_RMID, null);
      if (made.msg >= 0) sysv.msgctl(made.msg, IPC_RMID, null);
      if (made.sem >= 0) sysv.semctlInt(made.sem, 0, IPC_RMID, 0);
    } finally {
      for (const child of children.splice(0)) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        });
      }
      if (home) rmSync(home, { recursive: true, force: true });
    }
  });

  it('the checkout is readable by nobody (else nothing below can run)', async () => {
    const run = await runAsNobody(['-e', `require('fs').accessSync(${JSON.stringify(SCRIPT)}, require('fs').constants.R_OK); console.log(process.getuid())`]);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(String(NOBODY));
  });

  it('whole machine and PID scope: root processes are listed with stat fields, readable false and the EACCES reasons; the snapshot still returns', async () => {
    const sleepPid = rootSleep!.pid!;
    const ids = [`shm:${made.shm}`, `msg:${made.msg}`, `sem:${made.sem}`];
    const run = await runAsNobody(['--import', 'tsx', SCRIPT, '1', String(sleepPid), ...ids]);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as UnreadableReport;
    expect(report).toMatchObject({ uid: NOBODY, euid: NOBODY });

    expect(threw(report.whole)).toBeNull();
    const whole = report.whole as WholeSummary;
    /* a System V segment exists (ours), so maps are read, and refused for root's processes */
    for (const pid of [1, sleepPid]) {
      const proc = whole.processes.find((p) => p.pid === pid);
      expectListedUnreadable(proc, pid, true);
      expect(whole.problems).toContainEqual({ pid, reason: proc!.error });
    }
    expect(whole.processes.find((p) => p.pid === sleepPid)).toMatchObject({ comm: 'sleep', ppid: process.pid, state: 'S' });
    expect(whole.ownProcessReadable).toBe(true);
    expect(whole.processCount).toBeGreaterThan(2);

    /* root's 0600 objects: what /proc/sysvipc tells everyone is there; IPC_STAT-only facts stay unknown */
    const byId = new Map(whole.objects.map((o) => [o.id, o]));
    expect(byId.get(`shm:${made.shm}`)).toMatchObject({ kind: 'shm', owner: 0, mode: 0o600, size: 4096, nattch: 0 } satisfies Partial<ShmObject>);
    expect(byId.get(`msg:${made.msg}`)).toMatchObject({ kind: 'msg', owner: 0, messages: 1, bytes: 9 } satisfies Partial<MsgQueueObject>);
    expect((byId.get(`msg:${made.msg}`) as MsgQueueObject).firstMessages).toBeUndefined();
    expect(byId.get(`sem:${made.sem}`)).toMatchObject({ kind: 'sem', owner: 0, mode: 0o600 } satisfies Partial<SemSetObject>);

    expect(threw(report.scoped)).toBeNull();
    const scoped = report.scoped as Snapshot;
    for (const pid of [1, sleepPid]) {
      const proc = scoped.processes.find((p) => p.pid === pid);
      expectListedUnreadable(proc, pid, true);
      /* status is world-readable: the owner is known even when nothing else is */
      expect(proc!.uid).toBe(0);
      const problem = scoped.problems.find((p) => p.pid === pid);
      expect(problem, `problem for pid ${pid}`).toBeDefined();
      expect(problem!.reason).toMatch(/permission denied/);
    }
  });

  it('CLI as nobody: `snapshot --pid 1 --json` does not crash; it exits 1 with one line naming the reason', async () => {
    const run = await runAsNobody([BIN, 'snapshot', '--pid', '1', '--json']);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ipcscope: cannot read process 1: .*permission denied/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('CLI as nobody: a whole-machine `snapshot --json` lists pid 1 as unreadable and exits 0', async () => {
    const run = await runAsNobody([BIN, 'snapshot', '--json']);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    const snapshot = JSON.parse(run.stdout) as Snapshot;
    const init = snapshot.processes.find((p) => p.pid === 1);
    expect(init).toMatchObject({ pid: 1, ppid: 0, comm: statAsRoot(1).comm, readable: false, fds: [] });
    expect(snapshot.problems.find((p) => p.pid === 1)?.reason).toMatch(/permission denied/);
  });

  it("nobody's own reader of a pipe whose writer is root: fully read, blocked on that pipe; the root writer never stops the scan", async () => {
    const [readEnd, writeEnd] = makePipe();
    let writer: ChildProcess;
    let reader: ChildProcess;
    try {
      writer = spawn('sleep', ['600'], { stdio: ['ignore', writeEnd, 'ignore'] });
      children.push(writer);
      /* setpriv execs cat: same pid, uid 65534 */
      reader = spawn('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'cat'], { stdio: [readEnd, 'ignore', 'ignore'] });
      children.push(reader);
    } finally {
      closeFd(readEnd);
      closeFd(writeEnd);
    }
    const catPid = reader.pid!;
    const deadline = Date.now() + 5000;
    while (!(statAsRoot(catPid).comm === 'cat' && readFileSync(`/proc/${catPid}/wchan`, 'latin1') === 'anon_pipe_read')) {
      if (Date.now() > deadline) throw new Error('cat never slept in anon_pipe_read');
      await new Promise((r) => setTimeout(r, 10));
    }
    const pipeId = `pipe:${/^pipe:\[(\d+)\]$/.exec(readlinkSync(`/proc/${catPid}/fd/0`))![1]}`;

    const run = await runAsNobody(['--import', 'tsx', SCRIPT, String(catPid), String(writer.pid!)]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as UnreadableReport;
    expect(threw(report.scoped)).toBeNull();
    const scoped = report.scoped as Snapshot;
    const cat = scoped.processes.find((p) => p.pid === catPid);
    expect(cat).toMatchObject({ comm: 'cat', readable: true, uid: NOBODY });
    expect(cat!.fds.find((f) => f.fd === 0)).toMatchObject({ object: pipeId, access: 'r' });
    expect(cat!.blocked).toEqual({ op: 'read', syscall: 'read', syscallNr: 0, fd: 0, wchan: 'anon_pipe_read', object: pipeId });
    expect(scoped.objects.find((o) => o.id === pipeId)?.holders).toContainEqual({ pid: catPid, fd: 0, access: 'r' });
    /* the root writer: listed from stat, its descriptors refused */
    expectListedUnreadable(scoped.processes.find((p) => p.pid === writer.pid), writer.pid!, true);
    expect(scoped.problems.map((p) => p.pid)).toEqual([writer.pid]);
  });
});
