/**
 * `ipcscope snapshot` run for real against states built here: a `cat`
 * blocked reading an empty pipe whose writer is a `sleep`, checked against
 * /proc and lsof on the same state.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import { makePipe, native } from '../libc/libc';
import type { PipeObject, Snapshot } from '../model/snapshot-types';
import { BIN, ChildSet, accessFromFdinfo, pipeInode, runCli, unusedPid, wchanOf } from './cli-test-support';
import { waitFor } from './wait-for';

const children = new ChildSet();
let catPid = 0;
let sleepPid = 0;
let pipeId = '';

function parseOneDocument(stdout: string): Snapshot {
  expect(stdout.endsWith('}\n')).toBe(true);
  expect(stdout.trimEnd().split('\n')).toHaveLength(1);
  return JSON.parse(stdout) as Snapshot;
}

beforeAll(async () => {
  markInheritedCloexec();
  const [readEnd, writeEnd] = makePipe();
  children.own(readEnd, writeEnd);
  /* the pipe ends reach the children only through stdio (dup2 clears O_CLOEXEC there) */
  catPid = children.spawn('cat', [], [readEnd, 'ignore', 'ignore']).pid;
  sleepPid = children.spawn('sleep', ['300'], ['ignore', writeEnd, 'ignore']).pid;
  children.close(readEnd);
  children.close(writeEnd);
  await waitFor('cat to block in anon_pipe_read', () => wchanOf(catPid) === 'anon_pipe_read');
  pipeId = `pipe:${pipeInode(catPid, 0)}`;
});

afterAll(async () => {
  await children.killAll();
});

describe('ipcscope snapshot --json', () => {
  it('prints exactly one Snapshot document naming the blocked reader and both holders', async () => {
    const result = await runCli(['snapshot', '--pid', `${catPid},${sleepPid}`, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = parseOneDocument(result.stdout);
    expect(snapshot.processes.map((p) => p.pid).sort((a, b) => a - b)).toEqual([catPid, sleepPid].sort((a, b) => a - b));

    const cat = snapshot.processes.find((p) => p.pid === catPid);
    expect(cat?.blocked).toMatchObject({ op: 'read', fd: 0, object: pipeId, wchan: 'anon_pipe_read', syscallNr: 0 });
    const pipe = snapshot.objects.find((o): o is PipeObject => o.id === pipeId);
    expect(pipe?.kind).toBe('pipe');
    expect(pipe?.queued).toBe(0);
    expect(pipe?.capacity).toBe(65536); /* F_GETPIPE_SZ default: 16 pages */
    expect(pipe?.holders).toEqual(
      expect.arrayContaining([
        { pid: catPid, fd: 0, access: 'r' },
        { pid: sleepPid, fd: 1, access: 'w' },
      ]),
    );
  });

  it('agrees with /proc: every descriptor target and access mode', async () => {
    const snapshot = parseOneDocument((await runCli(['snapshot', '--pid', `${catPid}`, '--json', '--peek', '0'])).stdout);
    const cat = snapshot.processes[0]!;
    const kernelFds = readdirSync(`/proc/${catPid}/fd`).map(Number).sort((a, b) => a - b);
    expect(cat.fds.map((fd) => fd.fd).sort((a, b) => a - b)).toEqual(kernelFds);
    for (const fd of cat.fds) {
      expect(fd.target).toBe(readlinkSync(`/proc/${catPid}/fd/${fd.fd}`));
      expect(fd.access).toBe(accessFromFdinfo(catPid, fd.fd));
    }
    const stat = readFileSync(`/proc/${catPid}/stat`, 'latin1');
    expect(cat.state).toBe(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  });

  it('agrees with lsof -n +E on holders and access modes of the pipe', async (context) => {
    if (spawnSync('lsof', ['-v']).error) context.skip();
    const snapshot = parseOneDocument((await runCli(['snapshot', '--pid', `${catPid}`, '--json'])).stdout);
    const inode = pipeId.slice('pipe:'.length);
    /* -F: one field per line (p pid, f fd, a access r/w/u, t type, i inode) */
    const lsof = execFileSync('lsof', ['-n', '+E', '-p', String(catPid), '-F', 'pfati'], { encoding: 'utf8' });
    const fromLsof: string[] = [];
    let pid = 0;
    let fd = '';
    let access = '';
    for (const line of lsof.split('\n')) {
      const [tag, value] = [line[0], line.slice(1)];
      if (tag === 'p') pid = Number(value);
      else if (tag === 'f') fd = value;
      else if (tag === 'a') access = value.trim();
      else if (tag === 'i' && value === inode) fromLsof.push(`${pid}/${fd}(${access === 'u' ? 'rw' : access})`);
    }
    const pipe = snapshot.objects.find((o) => o.id === pipeId);
    const fromUs = (pipe?.holders ?? []).map((h) => `${h.pid}/${h.fd}(${h.access})`);
    expect(fromLsof.length).toBeGreaterThanOrEqual(2);
    expect([...new Set(fromUs)].sort()).toEqual([...new Set(fromLsof)].sort());
  });

  it('--tree includes every descendant the kernel lists', async () => {
    const shell = children.spawn('sh', ['-c', 'sleep 300 & sleep 300 & wait'], 'ignore', true);
    const childrenOf = (pid: number): number[] =>
      readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
    const kids = await waitFor('two sleep children', () => {
      const list = childrenOf(shell.pid);
      return list.length === 2 ? list : undefined;
    });
    const flat = parseOneDocument((await runCli(['snapshot', '--pid', `${shell.pid}`, '--json', '--no-maps'])).stdout);
    expect(flat.processes.map((p) => p.pid)).toEqual([shell.pid]);
    const tree = parseOneDocument((await runCli(['snapshot', '--pid', `${shell.pid}`, '--tree', '--json', '--no-maps'])).stdout);
    expect(tree.processes.map((p) => p.pid).sort((a, b) => a - b)).toEqual([shell.pid, ...kids].sort((a, b) => a - b));
    for (const kid of kids) expect(tree.processes.find((p) => p.pid === kid)?.ppid).toBe(shell.pid);
  });

  it('--all lists the whole machine, unreadable processes as problems with a reason', async () => {
    const result = await runCli(['snapshot', '--all', '--json', '--peek', '0']);
    expect(result.code).toBe(0);
    const snapshot = parseOneDocument(result.stdout);
    expect(snapshot.processes.some((p) => p.pid === catPid)).toBe(true);
    for (const problem of snapshot.problems) {
      expect(Number.isInteger(problem.pid)).toBe(true);
      expect(problem.reason.length).toBeGreaterThan(0);
    }
  });
});

describe('ipcscope snapshot (table and Graphviz)', () => {
  it('the table names the processes, the pipe, the holders and the blocked read', async () => {
    const result = await runCli(['snapshot', '--pid', `${catPid},${sleepPid}`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`read(fd 0) on ${pipeId} [anon_pipe_read]`);
    expect(result.stdout).toMatch(new RegExp(`^\\s+${pipeId}\\s+0/65536\\s`, 'm'));
    expect(result.stdout).toContain(`${catPid}/0(r)`);
    expect(result.stdout).toContain(`${sleepPid}/1(w)`);
    expect(result.stdout).toMatch(new RegExp(`^\\s+${catPid}\\s+${process.pid}\\s+S\\s`, 'm'));
  });

  it('--dot is a well-formed digraph: balanced braces, every edge joins declared nodes', async () => {
    const result = await runCli(['snapshot', '--pid', `${catPid},${sleepPid}`, '--dot']);
    expect(result.code).toBe(0);
    const dot = result.stdout;
    expect(dot.startsWith('digraph ipcscope {')).toBe(true);
    /* braces outside quoted strings */
    let depth = 0;
    let quoted = false;
    for (let i = 0; i < dot.length; i++) {
      const char = dot[i];
      if (char === '\\') i++;
      else if (char === '"') quoted = !quoted;
      else if (!quoted && char === '{') depth++;
      else if (!quoted && char === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    expect(quoted).toBe(false);
    const declared = new Set([...dot.matchAll(/^ {2}("(?:[^"\\]|\\.)*") \[/gm)].map((m) => m[1]));
    const edges = [...dot.matchAll(/^ {2}("(?:[^"\\]|\\.)*") -> ("(?:[^"\\]|\\.)*") \[(.*)\];$/gm)];
    expect(edges.length).toBeGreaterThan(0);
    for (const [, from, to] of edges) {
      expect(declared.has(from)).toBe(true);
      expect(declared.has(to)).toBe(true);
    }
    expect(edges.some(([, from, to, attrs]) => from === `"p${catPid}"` && to === `"${pipeId}"` && attrs?.includes('label="fd 0 r"'))).toBe(true);
    expect(edges.some(([, from, to, attrs]) => from === `"p${catPid}"` && to === `"${pipeId}"` && /style=dashed, color=red/.test(attrs ?? ''))).toBe(true);
    /* .ci/run installs Graphviz, so CI always parses; a machine without `dot` skips only this step */
    if (!spawnSync('dot', ['-V']).error) {
      const parsed = spawnSync('dot', ['-Tsvg'], { input: dot });
      expect(parsed.status).toBe(0);
    }
  });
});

describe('ipcscope snapshot --peek', () => {
  it('shows queued bytes as escaped text without consuming them', async () => {
    const [readEnd, writeEnd] = makePipe();
    children.own(readEnd, writeEnd);
    const reader = children.spawn('sleep', ['300'], [readEnd, 'ignore', 'ignore']);
    const message = Buffer.from('hi "there"\n\x01');
    expect(native.write(writeEnd, message, message.length)).toBe(message.length);
    const id = `pipe:${pipeInode(reader.pid, 0)}`;

    const json = parseOneDocument((await runCli(['snapshot', '--pid', `${reader.pid}`, '--json', '--peek', '4'])).stdout);
    const pipe = json.objects.find((o) => o.id === id);
    expect(pipe?.queued).toBe(message.length);
    expect(Buffer.from(pipe?.peek ?? '', 'base64').toString('latin1')).toBe('hi "');

    const table = (await runCli(['snapshot', '--pid', `${reader.pid}`])).stdout;
    expect(table).toContain('"hi \\"there\\"\\n\\x01"');

    /* the bytes are all still there for the real reader */
    const buffer = new Uint8Array(64);
    const got = native.read(readEnd, buffer, buffer.length);
    expect(Buffer.from(buffer.subarray(0, got)).equals(message)).toBe(true);
  });
});

describe('ipcscope errors', () => {
  const oneLine = (stderr: string): string => {
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
    return stderr.trimEnd();
  };

  it('a PID that does not exist: one stderr line naming it, exit 1, nothing on stdout', async () => {
    const missing = unusedPid();
    const result = await runCli(['snapshot', '--pid', `${catPid},${missing}`, '--json']);
    expect(oneLine(result.stderr)).toBe(`ipcscope: no such process: ${missing}`);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
  });

  it('a thread id is not a process', async () => {
    const tids = readdirSync(`/proc/${process.pid}/task`).map(Number).filter((tid) => tid !== process.pid);
    const tid = tids[0];
    if (tid === undefined) return;
    const result = await runCli(['snapshot', '--pid', `${tid}`]);
    expect(oneLine(result.stderr)).toBe(`ipcscope: no such process: ${tid} (it is a thread of process ${process.pid})`);
    expect(result.code).toBe(1);
  });

  it.each([
    [['snapshot', '--pid', 'abc'], 'invalid PID "abc" in --pid'],
    [['snapshot', '--pid', '12,x7'], 'invalid PID "x7" in --pid'],
    [['snapshot', '--peek', '999'], '--peek 999 is out of range (0 to 256)'],
    [['snapshot', '--peek', '-1'], '--peek expects an integer from 0 to 256, got "-1"'],
    [['snapshot', '--frob'], 'unknown option "--frob" for "snapshot"'],
    [['snapshot', '--pid'], '--pid needs a value'],
    [['snapshot', '--json', '--dot'], '--json and --dot cannot be combined'],
    [['snapshot', '--pid', '1', '--all'], '--pid and --all cannot be combined'],
    [['watch', '--rate', '61'], '--rate 61 is out of range (1 to 60)'],
    [['watch', '--rate', 'fast'], '--rate expects a number from 1 to 60, got "fast"'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('malformed %j: one line naming the problem, exit 2', async (args, problem) => {
    const result = await runCli(args);
    expect(oneLine(result.stderr)).toContain(`ipcscope: ${problem}`);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('a reader that leaves early (| head -c) ends the command quietly', async () => {
    const child = spawn(process.execPath, [BIN, 'snapshot', '--all', '--json', '--peek', '256'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('web is handed to runWeb (its own --help)', async () => {
    const web = await runCli(['web', '--help']);
    expect(web.code).toBe(0);
    expect(web.stdout).toContain('ipcscope web');
  });

  it('--version and help print to stdout and exit 0', async () => {
    const version = await runCli(['--version']);
    expect(version.stdout).toMatch(/^ipcscope \d+\.\d+\.\d+\n$/);
    expect(version.code).toBe(0);
    const help = await runCli(['help', 'snapshot']);
    expect(help.stdout).toContain('--peek N');
    expect(help.code).toBe(0);
  });
});
