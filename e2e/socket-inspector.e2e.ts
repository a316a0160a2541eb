import { mkdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asleepIn, python3MissingReason } from '../native-bridge/diagnose/testing/python-situation';
import { observeSituationInChromium, type ObservedSituation } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';

/*
 * A socket in the inspector, observed: a real python3 parent sends 5 bytes
 * with send() on a socketpair whose other end its child holds and never
 * reads; both then sleep reading a pipe. Observed with
 * `ipcscope web --pid ROOT --tree`, the inspector must give the socket's
 * type, state, peer (a button that selects it) and "5 B (contents not read)"
 * (an observation does not peek), and the traffic panel must say send() and
 * recv() are not counted in /proc/PID/io.
 */

const RESULTS = join(PROJECT_ROOT, 'test-results');
const skip = python3MissingReason();

const SITUATION = `
import os, socket
a, b = socket.socketpair()
r, w = os.pipe()
if os.fork() == 0:
    a.close(); os.close(w)
    say("child", os.getpid(), b.fileno())
    os.read(r, 1); os._exit(0)
b.close()
a.send(b"hello")
say("parent", os.getpid(), a.fileno())
os.read(r, 1)
`;

let observed: ObservedSituation | null = null;

beforeAll(async () => {
  if (skip !== null) return;
  mkdirSync(RESULTS, { recursive: true });
  observed = await observeSituationInChromium(SITUATION, 'parent', 'ipcscope-e2e-chromium-');
}, 120_000);

afterAll(async () => {
  await observed?.close();
});

const socketId = (pid: number, fd: number) => readlinkSync(`/proc/${pid}/fd/${fd}`).replace(/^socket:\[(\d+)\]$/, 'unix:$1');

describe.skipIf(skip !== null)('a socket in the inspector, observed', () => {
  it('says what sock_diag says of both ends, the queued bytes not read, and that send()/recv() are not traffic', async () => {
    if (!observed) throw new Error('setup failed');
    const { situation, web, context } = observed;
    const [parent, pa] = await situation.numbers('parent');
    const [child, cb] = await situation.numbers('child');
    for (const pid of [parent!, child!]) await asleepIn(pid, 'anon_pipe_read');
    const mine = socketId(parent!, pa!);
    const theirs = socketId(child!, cb!);

    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(web.url);
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('view-picture').click();
    await page.getByTestId('traffic-sockets').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('traffic-sockets').textContent()).toBe('send() and recv() on sockets are not counted here: see the sockets’ queues.');

    await page.locator(`[data-testid="object-${mine}"], [data-testid="object-${theirs}"]`).first().dispatchEvent('click');
    const text = (id: string) => page.getByTestId(id).textContent();
    await page.getByTestId('facts-peer').waitFor();
    // whichever end the picture draws as the pair: go to the child's, the one the 5 bytes wait in
    if ((await text('facts-peer')) === `unix ${theirs.slice(5)}`) await page.getByTestId('facts-peer').getByRole('button').click();
    await expect.poll(() => text('facts-peer')).toBe(`unix ${mine.slice(5)}`);
    expect(await text('facts-type')).toBe('stream (SOCK_STREAM)');
    expect(await text('facts-state')).toBe('ESTAB');
    expect(await text('facts-queued')).toBe('5 B (contents not read)');
    await page.screenshot({ path: join(RESULTS, 'socket-inspector.png') });
    // the kernel, now: the child never read, both still asleep on the pipe
    for (const pid of [parent!, child!]) await asleepIn(pid, 'anon_pipe_read');
  }, 120_000);
});
