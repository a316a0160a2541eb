/**
 * Names another user chooses reach root's terminal: a real process whose comm
 * (PR_SET_NAME) holds ESC sequences and a newline, holding a FIFO, a Unix
 * socket bound to a path and one to an abstract name, and a POSIX shm object,
 * all named with control characters and quotes. `snapshot` (table), `--dot`
 * (which Graphviz must still parse) and `watch` must print no raw control
 * character and forge no row; `--json` keeps every name exact.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import type { Snapshot } from '../model/snapshot-types';
import { BIN, killAndReap, runCli, wchanOf } from './cli-test-support';
import { waitFor } from './wait-for';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
/* 13 bytes: PR_SET_NAME keeps up to 15 */
const COMM = '\x1b[31mevil\nPID';
const SHM_NAME = `ipcscope-cli-\x1b[5m\n"${process.pid}`;

/*
 * Makes the objects, prints "ready", then forks a child (same comm) and
 * opens the shm object again each time a line arrives on stdin.
 */
const PROGRAM = `
import ctypes, os, socket, sys, time
ctypes.CDLL(None).prctl(15, sys.argv[2].encode('latin1'), 0, 0, 0)
d = sys.argv[1]
fifo = os.path.join(d, 'f\\x1b[2J\\n"q\\'\\x07')
os.mkfifo(fifo)
held = [os.open(fifo, os.O_RDWR)]
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(os.path.join(d, 's\\x1b]0;title\\x07\\n"x'))
listener.listen(1)
abstract = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
abstract.bind(b'\\0ipcscope\\x1b[1m\\n"abs' + str(os.getpid()).encode())
shm = '/dev/shm/' + sys.argv[3]
held.append(os.open(shm, os.O_RDWR | os.O_CREAT, 0o600))
print('ready', flush=True)
for line in sys.stdin:
    if os.fork() == 0:
        time.sleep(300)
        os._exit(0)
    held.append(os.open(shm, os.O_RDWR))
`;

let directory = '';
let owner: ChildProcessByStdio<Writable, Readable, null> | null = null;
const watchers: ChildProcessByStdio<null, Readable, Readable>[] = [];

function syscallOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/syscall`, 'latin1');
  } catch {
    return '';
  }
}

/** Every character of `text` that would act on a terminal rather than print (newlines end our own lines). */
function controlCharacters(text: string): string[] {
  const found: string[] = [];
  for (const char of text) {
    const code = char.charCodeAt(0);
    const control = (code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e);
    if (control) found.push(`U+${code.toString(16).padStart(4, '0')}`);
  }
  return found;
}

beforeAll(async () => {
  markInheritedCloexec();
  directory = mkdtempSync(join(tmpdir(), 'ipcscope-hostile-'));
  const child = spawn(PYTHON, ['-c', PROGRAM, directory, COMM, SHM_NAME], { stdio: ['pipe', 'pipe', 'inherit'] });
  owner = child;
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  await waitFor('the python owner to make its objects', () => stdout.includes('ready') || child.exitCode !== null, 20_000);
  expect(child.exitCode).toBeNull();
  /* stdin is a socket pair (libuv): the kernel shows read(0, ...) with its wchan */
  await waitFor('it to block reading stdin', () => wchanOf(child.pid!) !== '' && syscallOf(child.pid!).startsWith('0 0x0 '));
});

afterAll(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => killAndReap(watcher)));
  if (owner) {
    /* its forked children share its process group only if we kill them through their parent's exit: find them first */
    const pids = spawnSync('pgrep', ['-P', `${owner.pid}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await killAndReap(owner);
  }
  try {
    unlinkSync(`/dev/shm/${SHM_NAME}`);
  } catch {
    /* never made */
  }
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('names chosen by another user', () => {
  it('snapshot (table): no raw control character, one row for the one process, the names escaped', async () => {
    const result = await runCli(['snapshot', '--pid', `${owner!.pid}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(controlCharacters(result.stdout)).toEqual([]);
    const lines = result.stdout.split('\n');
    const at = lines.indexOf('PROCESSES (1)');
    expect(at).toBeGreaterThanOrEqual(0);
    /* title, header, one row, then the blank line before the objects */
    expect(lines[at + 3]).toBe('');
    expect(lines[at + 2]).toContain('\\x1b[31mevil\\nPID');
    expect(result.stdout).toContain(`f\\x1b[2J\\n"q'\\x07`);
    expect(result.stdout).toContain('s\\x1b]0;title\\x07\\n"x');
    expect(result.stdout).toContain('@ipcscope\\x1b[1m\\n"abs');
    expect(result.stdout).toContain('ipcscope-cli-\\x1b[5m\\n"');
    expect(result.stdout).toMatch(/^1 process, \d+ objects, sampled in/m);
  });

  it('--json keeps every name exactly as the kernel gave it', async () => {
    const result = await runCli(['snapshot', '--pid', `${owner!.pid}`, '--json']);
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as Snapshot;
    expect(snapshot.processes[0]?.comm).toBe(COMM);
    const paths = snapshot.objects.map((o) => ('path' in o ? o.path : undefined));
    expect(paths).toContain(join(directory, 'f\x1b[2J\n"q\'\x07'));
    expect(paths).toContain(join(directory, 's\x1b]0;title\x07\n"x'));
    expect(paths).toContain(`@ipcscope\x1b[1m\n"abs${owner!.pid}`);
    expect(snapshot.objects.map((o) => o.id)).toContain(`posix_shm:/${SHM_NAME}`);
  });

  it('--dot: no raw control character, and Graphviz parses it', async (context) => {
    if (spawnSync('dot', ['-V']).error) context.skip();
    const result = await runCli(['snapshot', '--pid', `${owner!.pid}`, '--dot']);
    expect(result.code).toBe(0);
    expect(controlCharacters(result.stdout)).toEqual([]);
    const svg = spawnSync('dot', ['-Tsvg'], { input: result.stdout, encoding: 'utf8' });
    expect(svg.stderr).toBe('');
    expect(svg.status).toBe(0);
    expect(svg.stdout).toContain('\\x1b[31mevil\\nPID');
    expect(svg.stdout).toContain('ipcscope\\x1b[1m\\n&quot;abs');
  });

  it('an error quoting what was typed is one line with no control character', async () => {
    const result = await runCli(['snapshot', '--pid', '12\x1b[2J\n99']);
    expect(result.code).toBe(2);
    expect(controlCharacters(result.stderr)).toEqual([]);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('12\\x1b[2J');
  });

  it('watch: a child with that comm appearing and the shm object opened print escaped', async () => {
    const child = spawn(process.execPath, [BIN, 'watch', '--pid', `${owner!.pid}`, '--tree', '--rate', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    watchers.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await waitFor('watch to start', () => stderr.includes('watching') || child.exitCode !== null, 15_000);
    expect(stderr).toMatch(/watching 1 process and \d+ objects/);
    owner!.stdin.write('go\n');
    await waitFor('the forked child to appear', () => /\) appeared, ppid/.test(stdout), 15_000);
    await waitFor('the shm object opened again', () => stdout.includes('opened fd'), 15_000);
    expect(controlCharacters(stdout)).toEqual([]);
    expect(stdout).toContain('(\\x1b[31mevil\\nPID) appeared');
    expect(stdout).toContain('-> posix_shm:/ipcscope-cli-\\x1b[5m\\n"');
  });
});
