import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '../cli/wait-for';

/*
 * With no client the server must not sample at all. Seen from the kernel: the
 * server's main thread sleeps in epoll_wait and is not woken, so its
 * voluntary_ctxt_switches (/proc/PID/status, main thread) stay flat; sampling
 * at 30 Hz wakes it ~30 times a second. The server runs in its own process so
 * nothing else in the test wakes that thread.
 */

const SESSION = fileURLToPath(new URL('../session/session.ts', import.meta.url));
const SERVER = fileURLToPath(new URL('./web-server.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

let child: ChildProcess | null = null;
let dir = '';
let ws: WebSocket | null = null;

afterEach(async () => {
  ws?.terminate();
  ws = null;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  child = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function wakeups(pid: number): number {
  const match = /^voluntary_ctxt_switches:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no voluntary_ctxt_switches for ${pid}`);
  return Number(match[1]);
}

/**
 * True when some window of `windowMs` (of up to three, so start-up settles)
 * saw at most `most` wake-ups of the main thread. Sampling at 30 Hz wakes it
 * at least ~30 times in each such window; a loaded machine cannot add wake-ups
 * to a sleeping thread, only delay them.
 */
async function hasQuietWindow(pid: number, windowMs = 1500, most = 5): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const before = wakeups(pid);
    const end = Date.now() + windowMs;
    await waitFor('the window to pass', () => Date.now() >= end, windowMs + 5000, 100);
    if (wakeups(pid) - before <= most) return true;
  }
  return false;
}

describe('a server with no client', () => {
  it('is not woken to sample; a client makes it sample; when the client leaves it sleeps again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ipcscope-web-idle-'));
    const script = join(dir, 'idle-server.mts');
    writeFileSync(
      script,
      [
        `import { createSession } from ${JSON.stringify(SESSION)};`,
        `import { startWebServer } from ${JSON.stringify(SERVER)};`,
        'const session = await createSession();',
        `const server = await startWebServer({ session, staticRoot: ${JSON.stringify(join(dir, 'dist'))}, port: 0 });`,
        'process.stdout.write(`${server.port} ${server.token}\\n`);',
      ].join('\n'),
    );
    const proc = spawn(process.execPath, ['--import', 'tsx', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const [port, token] = (await waitFor('the server to listen', () => /^(\d+) (\S+)\n/.exec(output)?.slice(1), 60_000)) as [string, string];
    const pid = proc.pid ?? -1;

    expect(await hasQuietWindow(pid), 'no client: the main thread sleeps').toBe(true);

    ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: `http://127.0.0.1:${port}` });
    let frames = 0;
    ws.on('message', (data) => {
      if (String(data).startsWith('{"type":"frame"')) frames += 1;
    });
    await waitFor('frames', () => frames >= 3, 30_000);
    const watched = wakeups(pid);
    await waitFor('the sampling timer waking the server', () => wakeups(pid) - watched >= 30, 30_000, 50);

    ws.close();
    await new Promise((resolve) => ws?.once('close', resolve));
    expect(await hasQuietWindow(pid), 'the client left: the main thread sleeps again').toBe(true);
  });
});
