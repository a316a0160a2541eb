/**
 * `ipcscope run --web -- sh -c 'sleep 1000 | cat'`: the browser mode
 * observes the command and its descendants (cat blocked in read on the pipe,
 * checked in /proc); once the command is killed, the last frame in which it
 * ran stays, with observing.exit; the group's leftovers are killed, and
 * Ctrl+C ends the server with the command's status (128 + 9).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Frame } from '../model/frame-types';
import type { ServerMessage } from '../web/wire-protocol';
import { BIN, wchanOf } from './cli-test-support';
import { groupMembers } from './run-child';
import { endWebServer } from './testing/end-web-server';
import { waitFor } from './wait-for';
import { FrameDeltaReceiver } from '../model/frame-delta-receiver';

const PIPE_READ_WCHAN = /^(anon_pipe_read|pipe_read|pipe_wait)$/;
/** May build the renderer first, on a loaded machine. */
const START_MS = 150_000;

let server: ChildProcess | null = null;
let socket: WebSocket | null = null;
const groups: number[] = [];

afterEach(async () => {
  await endWebServer(server, socket);
  socket = null;
  server = null;
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already empty */
    }
    await waitFor(`process group ${pgid} to be empty`, () => groupMembers(pgid).length === 0, 10_000, 20);
  }
});

const kids = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const comm = (pid: number): string => readFileSync(`/proc/${pid}/comm`, 'latin1').trim();

describe('ipcscope run --web', () => {
  it('observes the command in the browser mode and keeps its last frame with the exit status', async () => {
    const web = spawn(process.execPath, [BIN, 'run', '--web', '--port', '0', '--', 'sh', '-c', 'sleep 1000 | cat'], { stdio: ['ignore', 'pipe', 'pipe'] });
    server = web;
    let stdout = '';
    let stderr = '';
    web.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    web.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => web.once('exit', (code) => resolve(code)));
    const sh = Number(await waitFor('the running line', () => /running sh -c 'sleep 1000 \| cat' \(pid (\d+)\)/.exec(stderr)?.[1], START_MS, 20));
    groups.push(sh);
    const url = await waitFor('the URL', () => /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(stdout), START_MS, 50);
    const frames: Frame[] = [];
    socket = new WebSocket(`ws://127.0.0.1:${url[1]}/ws?token=${url[2]}`, { origin: `http://127.0.0.1:${url[1]}` });
    const receiver = new FrameDeltaReceiver();
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'frame' || message.type === 'delta') frames.push(receiver.receive(message));
    });
    const cat = await waitFor('cat asleep in read', () => kids(sh).find((pid) => comm(pid) === 'cat' && PIPE_READ_WCHAN.test(wchanOf(pid))), 30_000);
    const inode = /^pipe:\[(\d+)\]$/.exec(readlinkSync(`/proc/${cat}/fd/0`))?.[1];
    const live = await waitFor('cat blocked in a frame', () => frames.find((f) => f.processes.some((p) => p.pid === cat && p.blocked)), 30_000);
    expect(live.observing).toEqual({ pids: [sh], tree: true, gone: [] });
    expect(live.processes.find((p) => p.pid === cat)?.blocked).toMatchObject({ op: 'read', fd: 0, object: `pipe:${inode}` });

    process.kill(sh, 'SIGKILL');
    const last = await waitFor('a frame with the exit status', () => frames.find((f) => f.observing && 'pids' in f.observing && f.observing.exit), 30_000);
    expect(last.observing).toEqual({ pids: [sh], tree: true, gone: [], exit: { code: null, signal: 'SIGKILL' } });
    /* the last frame in which the command ran: sh, sleep and cat, cat still asleep on the pipe */
    expect(last.processes.map((p) => p.pid)).toContain(sh);
    expect(last.processes.find((p) => p.pid === cat)?.blocked?.object).toBe(`pipe:${inode}`);
    await waitFor('the group emptied', () => groupMembers(sh).length === 0, 10_000, 20);
    await waitFor('the exit told', () => stderr.includes('was killed by signal SIGKILL; its last frame stays on screen'), 10_000);
    /* frames keep coming, still the same last state */
    const count = frames.length;
    await waitFor('more frames', () => frames.length > count + 2, 10_000);
    expect(frames.at(-1)?.processes.map((p) => p.pid)).toEqual(last.processes.map((p) => p.pid));

    web.kill('SIGINT');
    expect(await exited, stderr).toBe(128 + 9);
  }, START_MS + 90_000);

  it('starts the command once the server listens, and keeps the last frame in which it ran, with its exit status 3', async () => {
    /* stdout and stderr in one pipe: the kernel keeps the order of the two writes. stdin is ours: the first cat reads it */
    const command = 'cat | cat >/dev/null; exit 3';
    const web = spawn('sh', ['-c', 'exec "$0" "$@" 2>&1', process.execPath, BIN, 'run', '--web', '--port', '0', '--', 'sh', '-c', command], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    server = web;
    let output = '';
    web.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => web.once('exit', (code) => resolve(code)));
    const sh = Number(await waitFor('the running line', () => /running sh -c '.*' \(pid (\d+)\)/.exec(output)?.[1], START_MS, 20));
    groups.push(sh);
    const url = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(output);
    /* the URL (the server listens) was written before the command was started */
    expect(url, output).not.toBeNull();
    expect(output.indexOf('ipcscope web: open http')).toBeLessThan(output.indexOf('running sh -c'));
    const frames: Frame[] = [];
    socket = new WebSocket(`ws://127.0.0.1:${url?.[1]}/ws?token=${url?.[2]}`, { origin: `http://127.0.0.1:${url?.[1]}` });
    const receiver = new FrameDeltaReceiver();
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'frame' || message.type === 'delta') frames.push(receiver.receive(message));
    });
    /* the second cat asleep in read on the pipe between them (the kernel says so), and a frame that shows it so */
    const second = await waitFor('the second cat asleep in read', () => {
      const found = kids(sh).filter((pid) => comm(pid) === 'cat' && PIPE_READ_WCHAN.test(wchanOf(pid)) && readlinkSync(`/proc/${pid}/fd/1`) === '/dev/null');
      return found[0];
    }, 30_000);
    const inner = /^pipe:\[(\d+)\]$/.exec(readlinkSync(`/proc/${second}/fd/0`))?.[1];
    expect(inner).toBeDefined();
    await waitFor('the second cat blocked on the pipe in a frame', () => frames.find((f) => f.processes.some((p) => p.pid === second && p.blocked?.object === `pipe:${inner}`)), 30_000);

    /* EOF on the first cat's stdin: the pipeline ends, then sh with status 3 */
    web.stdin?.end();
    const last = await waitFor('a frame with the exit status', () => frames.find((f) => f.observing && 'pids' in f.observing && f.observing.exit), 30_000);
    expect(last.observing).toEqual({ pids: [sh], tree: true, gone: [], exit: { code: 3, signal: null } });
    /* a frame in which the command still ran (not the empty or zombie one after it): sh alive, holding its objects */
    const shown = last.processes.find((p) => p.pid === sh);
    expect(shown?.state).not.toBe('Z');
    expect(shown?.fds.length).toBeGreaterThan(0);
    expect(last.objects.length).toBeGreaterThan(0);
    await waitFor('the group emptied', () => groupMembers(sh).length === 0, 10_000, 20);
    const count = frames.length;
    await waitFor('more frames', () => frames.length > count + 2, 10_000);
    expect(frames.at(-1)?.processes.map((p) => p.pid)).toEqual(last.processes.map((p) => p.pid));

    web.kill('SIGINT');
    expect(await exited, output).toBe(3);
  }, START_MS + 90_000);
});
