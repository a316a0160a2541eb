/**
 * `ipcscope web` run from the CLI's esbuild bundle (bin/cli-bundle.js): the
 * bundle is rebuilt for it, it serves the renderer, and a lesson started
 * over the WebSocket starts its actors from the actor bundle, which the
 * engine builds from native-bridge/actor/actor-main.ts even though it runs
 * from node_modules/.ipcscope itself (native-bridge/paths.ts). SIGTERM ends
 * the server and the lesson's processes with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CommandResult } from '../model/commands';
import type { ServerMessage } from '../web/wire-protocol';
import { BIN } from './cli-test-support';
import { endWebServer } from './testing/end-web-server';
import { waitFor } from './wait-for';

const CLI_BUNDLE_MODULE = fileURLToPath(new URL('../../bin/cli-bundle.js', import.meta.url));
const { BUNDLE } = (await import(CLI_BUNDLE_MODULE)) as { BUNDLE: string };
/** Bundling, and maybe building the renderer first, on a loaded machine. */
const START_MS = 150_000;
const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/;

let server: ChildProcess | null = null;
let socket: WebSocket | null = null;
const actors: number[] = [];

const alive = (pid: number): boolean => {
  try {
    /* a zombie has exited: only its parent's wait is missing */
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
};
const ppidOf = (pid: number): number => Number(/^\d+ \(.*\) \S (\d+)/s.exec(readFileSync(`/proc/${pid}/stat`, 'latin1'))?.[1]);

afterEach(async () => {
  await endWebServer(server, socket);
  socket = null;
  server = null;
  /* the actors die with their engine (PR_SET_PDEATHSIG); this is the backup */
  for (const pid of actors.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await waitFor(`actor ${pid} gone`, () => !alive(pid), 10_000, 20);
  }
});

describe('ipcscope web from the bundle', () => {
  it('serves the app, and a lesson started over the WebSocket starts its actors from the actor bundle', async () => {
    utimesSync(BUNDLE, new Date(0), new Date(0));
    const web = spawn(process.execPath, [BIN, 'web', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    server = web;
    let output = '';
    web.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    web.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => web.once('exit', (code) => resolve(code)));
    const url = await waitFor('the URL', () => URL_PATTERN.exec(output), START_MS, 50);
    /* the stale bundle was built again for `web`: the command ran from it */
    expect(statSync(BUNDLE).mtimeMs).toBeGreaterThan(Date.now() - START_MS);

    const page = await fetch(url[0]);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>ipcscope');

    const messages: ServerMessage[] = [];
    socket = new WebSocket(`ws://127.0.0.1:${url[1]}/ws?token=${url[2]}`, { origin: `http://127.0.0.1:${url[1]}` });
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
    await new Promise((resolve, reject) => socket?.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ id: 1, command: { type: 'lesson.start', lesson: 'pipe-parent-child' } }));
    const started = await waitFor(
      'the lesson started',
      () => messages.flatMap((m): CommandResult[] => (m.type === 'result' && m.id === 1 ? [m.result] : []))[0],
      60_000,
    );
    expect(started, output).toMatchObject({ ok: true });
    const parent = started.ok ? (started.data as { roles: Record<string, number> }).roles.parent ?? -1 : -1;
    actors.push(parent);
    /* the kernel's word: a child of the server, running the bundled actor under plain node (no tsx loader) */
    expect(ppidOf(parent)).toBe(web.pid);
    const argv = readFileSync(`/proc/${parent}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(argv.slice(1)).toEqual([join(dirname(BUNDLE), 'actor.mjs')]);

    web.kill('SIGTERM');
    expect(await exited, output).toBe(0);
    await waitFor('the actor gone with the server', () => !alive(parent), 10_000, 20);
  });
});
