/**
 * "processes.list" on real processes: a pipeline started here
 * (`sh -c 'sleep 1000 | cat'`) is found by name, by PID, by command line and
 * by user, and each row's IPC count is what /proc/PID/fd shows (distinct
 * pipe and socket inodes, inherited ones included). Bad queries are
 * refused with the limit. Run as nobody, a root process is listed with what
 * cannot be read instead of a count.
 */
import { spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChildSet, wchanOf } from '../cli/cli-test-support';
import { PROCESS_QUERY_MAX, type ProcessList, type ProcessRow } from '../model/process-list-types';
import { PROCESS_SCAN_REUSE_MS } from './process-list';
import { createSession, type Session } from './session';
import { until } from './session-test-helpers';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./testing/list-as-nobody.ts', import.meta.url));
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
/* KERNEL-FACTS: anon_pipe_read on 6.18, pipe_read or pipe_wait on older kernels */
const PIPE_READ_WCHAN = /^(anon_pipe_read|pipe_read|pipe_wait)$/;

const children = new ChildSet();
let session: Session | null = null;
let home = '';

afterEach(async () => {
  await session?.dispose();
  session = null;
  await children.killAll();
});
afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
const commOf = (pid: number): string => readFileSync(`/proc/${pid}/comm`, 'latin1').trim();

/** Distinct pipe and socket inodes in /proc/PID/fd: what the kernel says the process holds. */
function ipcLinks(pid: number): number {
  const links = readdirSync(`/proc/${pid}/fd`).map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`));
  return new Set(links.filter((link) => /^(pipe|socket):\[/.test(link))).size;
}

async function pipeline(): Promise<{ sh: number; sleep: number; cat: number }> {
  const sh = children.spawn('sh', ['-c', 'sleep 1000 | cat'], ['ignore', 'ignore', 'ignore'], true).pid;
  let found = { sleep: 0, cat: 0 };
  await until(() => {
    const kids = childrenOf(sh);
    const cat = kids.find((pid) => commOf(pid) === 'cat');
    const sleep = kids.find((pid) => commOf(pid) === 'sleep');
    if (cat === undefined || sleep === undefined || !PIPE_READ_WCHAN.test(wchanOf(cat))) return false;
    found = { sleep, cat };
    return true;
  }, 30_000);
  return { sh, ...found };
}

async function list(s: Session, query?: string): Promise<ProcessList> {
  const result = await s.handle(query === undefined ? { type: 'processes.list' } : { type: 'processes.list', query });
  if (!result.ok) throw new Error(result.error);
  return result.data as ProcessList;
}

const rowOf = (answer: ProcessList, pid: number): ProcessRow | undefined => answer.rows.find((row) => row.pid === pid);

describe('processes.list', () => {
  it('finds a pipeline by name, PID, command line and user, with the IPC objects the kernel shows', async () => {
    const { sh, sleep, cat } = await pipeline();
    session = await createSession();

    /* with its PID: a machine may run a thousand other cats (another lesson's pool), more than one answer carries */
    const byName = await list(session, `cat ${cat}`);
    const catRow = rowOf(byName, cat);
    expect(catRow).toMatchObject({ pid: cat, ppid: sh, comm: 'cat', cmdline: 'cat', user: 'root', readable: true, self: false });
    expect(catRow?.ipcObjects).toBe(ipcLinks(cat));
    expect(byName.rows.every((row) => `${row.pid} ${row.comm} ${row.user} ${row.cmdline}`.toLowerCase().includes('cat'))).toBe(true);
    expect((await list(session, 'cat')).rows.length).toBeGreaterThan(0);

    const byPid = await list(session, String(sleep));
    expect(rowOf(byPid, sleep)?.ipcObjects).toBe(ipcLinks(sleep));
    expect(byPid.rows.every((row) => String(row.pid).startsWith(String(sleep)) || `${row.comm} ${row.cmdline}`.includes(String(sleep)))).toBe(true);

    const byCmdline = await list(session, 'sleep 1000');
    expect(rowOf(byCmdline, sleep)?.cmdline).toBe('sleep 1000');
    expect(rowOf(byCmdline, sh)?.cmdline).toBe('sh -c sleep 1000 | cat');
    expect(rowOf(byCmdline, sh)?.ipcObjects).toBe(ipcLinks(sh));

    /* whole words first: this sh (sleep, 1000) before any `sleep 100000` elsewhere on the machine */
    const first = byCmdline.rows.findIndex((row) => row.pid === sh);
    const weaker = byCmdline.rows.findIndex((row) => !/(^|\s)1000(\s|$)/.test(row.cmdline));
    if (weaker >= 0) expect(first).toBeLessThan(weaker);

    const byUser = await list(session, `root ${cat}`);
    expect(rowOf(byUser, cat)).toBeDefined();

    const everything = await list(session);
    expect(everything.total).toBe(everything.scanned);
    /* by its PID: past PROCESS_LIST_MAX_ROWS lower PIDs (a loaded machine) the whole list does not reach it */
    expect((await list(session, String(process.pid))).rows.find((row) => row.self)?.pid).toBe(process.pid);
  }, 90_000);

  it('answers the next keystrokes from the same scan, then scans again', async () => {
    session = await createSession();
    const first = await list(session, 'a');
    const again = await list(session, 'ab');
    if (Date.now() - first.takenAt < PROCESS_SCAN_REUSE_MS - 200) expect(again.takenAt).toBe(first.takenAt);
    await until(() => Date.now() - first.takenAt > PROCESS_SCAN_REUSE_MS + 50, 10_000);
    expect((await list(session, 'a')).takenAt).toBeGreaterThan(first.takenAt);
  });

  it('refuses a query that is not text, too long or holds control characters, naming the limit', async () => {
    session = await createSession();
    const bad: [unknown, RegExp][] = [
      [{ type: 'processes.list', query: 12 }, /"query" must be text/],
      [{ type: 'processes.list', query: 'x'.repeat(PROCESS_QUERY_MAX + 1) }, new RegExp(`${PROCESS_QUERY_MAX + 1} characters long; at most ${PROCESS_QUERY_MAX}`)],
      [{ type: 'processes.list', query: 'cat\nsleep' }, /control characters/],
      [{ type: 'processes.list', query: 'cat', all: true }, /unexpected field "all"/],
    ];
    for (const [input, message] of bad) {
      const result = await session.handle(input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(result.error).toMatch(message);
    }
  });
});

function searchableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

describe.skipIf(!isRoot || !searchableByOthers(ROOT))('processes.list with the user\'s own rights', () => {
  it('lists another user\'s process with what cannot be read, and no count', async () => {
    const rootSleep = children.spawn('sleep', ['1001'], 'ignore').pid;
    home = mkdtempSync(join(tmpdir(), 'ipcscope-list-nobody-'));
    chownSync(home, NOBODY, NOBODY);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        'setpriv',
        [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', process.execPath, '--import', 'tsx', SCRIPT, String(rootSleep)],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: home, HOME: home, LANG: 'C.UTF-8' } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(stdout);
        else reject(new Error(`exit ${code}: ${stderr}`));
      });
    });
    const result = JSON.parse(output.split('\n').find((line) => line.startsWith('{')) ?? '{}') as { ok: boolean; data: ProcessList };
    expect(result.ok).toBe(true);
    const row = rowOf(result.data, rootSleep);
    expect(result.data.root).toBe(false);
    expect(row).toMatchObject({ comm: 'sleep', user: 'root', readable: false, ipcObjects: null });
    expect(row?.unreadable).toMatch(/EACCES|permission/i);
    /* root reads the same table: the refusal is the kernel's */
    expect(readdirSync(`/proc/${rootSleep}/fd`).length).toBeGreaterThan(0);
  }, 90_000);
});
