/**
 * `ipcscope web --pid PID --tree`: the browser mode opens already observing
 * a pipeline started here (`sh -c 'sleep 1000 | cat'`): the first frame a
 * client receives carries the scope and shows cat asleep in read on the
 * pipe (checked against /proc/CAT/wchan and fd 0). A PID that does not
 * exist ends the command with status 1 and the PID named, before any build.
 * Observed processes are not the server's: Ctrl+C leaves them running.
 * `npm start -- --pid` reaches the browser mode it falls back to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ChildSet, runCli, unusedPid, wchanOf } from '../cli/cli-test-support';
import { waitFor } from '../cli/wait-for';
import type { Frame } from '../model/frame-types';
import type { ServerMessage } from './wire-protocol';
import { FrameDeltaReceiver } from '../model/frame-delta-receiver';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** May build the renderer first, on a loaded machine. */
const START_MS = 150_000;
const PIPE_READ_WCHAN = /^(anon_pipe_read|pipe_read|pipe_wait)$/;

const children = new ChildSet();
let web: ChildProcess | null = null;
let socket: WebSocket | null = null;

afterEach(async () => {
  socket?.terminate();
  socket = null;
  if (web && web.exitCode === null && web.signalCode === null) {
    const gone = new Promise((resolve) => web?.once('exit', resolve));
    web.kill('SIGKILL');
    await gone;
  }
  web = null;
  await children.killAll();
});

const kids = (pid: number): number[] =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean).map(Number);
const comm = (pid: number): string => readFileSync(`/proc/${pid}/comm`, 'latin1').trim();

describe('ipcscope web --pid', () => {
  it('a PID that does not exist: status 1, named, nothing built or served', async () => {
    const missing = unusedPid();
    const run = await runCli(['web', '--no-build', '--port', '0', '--pid', String(missing)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`ipcscope web: no such process: ${missing}\n`);
    expect(run.stdout).toBe('');
  });

  it('npm start -- --pid passes the scope on to the browser mode it falls back to', async () => {
    const missing = unusedPid();
    const start = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['scripts/start.js', '--pid', String(missing), '--no-build'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
        /* no Electron binary whatever is installed here, and no download: the browser mode */
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/ipcscope-electron', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(start.code, start.stderr).toBe(1);
    expect(start.stderr).toContain(`ipcscope web: no such process: ${missing}\n`);
  }, 60_000);

  it('opens observing the pipeline and its descendants: cat asleep in read on the pipe', async () => {
    const sh = children.spawn('sh', ['-c', 'sleep 1000 | cat'], 'ignore', true).pid;
    const cat = await waitFor('cat asleep in read', () => kids(sh).find((pid) => comm(pid) === 'cat' && PIPE_READ_WCHAN.test(wchanOf(pid))));
    // the left child may still be a forked sh that has not exec'd sleep yet
    const sleep = await waitFor('sleep exec\'d', () => kids(sh).find((pid) => comm(pid) === 'sleep'));
    const server = spawn(process.execPath, ['bin/ipcscope.js', 'web', '--port', '0', '--pid', String(sh), '--tree'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    web = server;
    let stdout = '';
    let stderr = '';
    server.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const url = await waitFor('the URL', () => /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(stdout), START_MS, 50);
    const frames: Frame[] = [];
    socket = new WebSocket(`ws://127.0.0.1:${url[1]}/ws?token=${url[2]}`, { origin: `http://127.0.0.1:${url[1]}` });
    const receiver = new FrameDeltaReceiver();
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'frame' || message.type === 'delta') frames.push(receiver.receive(message));
    });
    const first = await waitFor('a frame', () => frames[0], 30_000);
    expect(first.observing).toEqual({ pids: [sh], tree: true, gone: [] });
    expect(first.lesson).toBeNull();
    const frame = await waitFor('cat blocked in a frame', () => frames.find((f) => f.processes.some((p) => p.pid === cat && p.blocked)), 30_000);
    expect(frame.processes.map((p) => p.pid).sort((a, b) => a - b)).toEqual([sh, sleep, cat].sort((a, b) => a - b));
    const inode = /^pipe:\[(\d+)\]$/.exec(readlinkSync(`/proc/${cat}/fd/0`))?.[1];
    expect(frame.processes.find((p) => p.pid === cat)?.blocked).toMatchObject({ op: 'read', fd: 0, object: `pipe:${inode}` });
    expect(wchanOf(cat)).toMatch(PIPE_READ_WCHAN);

    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    /* observing never owns: the pipeline runs on */
    expect(wchanOf(cat)).toMatch(PIPE_READ_WCHAN);
  }, START_MS + 60_000);
});
