import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '../native-bridge/cli/wait-for';
import type { Frame } from '../native-bridge/model/frame-types';
import type { ServerMessage } from '../native-bridge/web/wire-protocol';
import { startIpcscopeWeb } from './ipcscope-web-process';
import type { IpcscopeWeb } from './ipcscope-web-process';
import { descendsFrom, exists, killIfStillSame, procStartTime, procWchan } from './proc-facts';
import { FrameDeltaReceiver } from '../native-bridge/model/frame-delta-receiver';

/*
 * Ctrl+C in the middle of a lesson, while the child sleeps in read(): the
 * server must kill and reap every lesson process and exit 0. Driven over the
 * WebSocket protocol directly (no browser), against the real engine.
 */

let web: IpcscopeWeb | null = null;
const lessonPids = new Set<number>();
/** pid -> start time, for cleanup that cannot hit a reused pid. */
const seen = new Map<number, number>();

afterEach(async () => {
  await web?.stop();
  killIfStillSame(seen);
  web = null;
  lessonPids.clear();
  seen.clear();
});

interface Client {
  ws: WebSocket;
  latest(): Frame | null;
  command(command: unknown): Promise<{ ok: boolean; error?: string }>;
  closed: Promise<number>;
}

async function connect(server: IpcscopeWeb): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
  let latest: Frame | null = null;
  let nextId = 1;
  const waiting = new Map<number, (result: { ok: boolean; error?: string }) => void>();
  const receiver = new FrameDeltaReceiver();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    if (message.type === 'frame' || message.type === 'delta') latest = receiver.receive(message);
    if (message.type === 'result' && typeof message.id === 'number') waiting.get(message.id)?.(message.result);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    latest: () => latest,
    closed,
    command: (command) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ id, command }));
      }),
  };
}

describe('ipcscope web shutdown', () => {
  it('SIGINT while the child is blocked in read kills and reaps every lesson process', async () => {
    web = await startIpcscopeWeb();
    const server = web;
    const client = await connect(server);
    expect(await client.command({ type: 'lesson.start', lesson: 'pipe-parent-child' })).toMatchObject({ ok: true });

    let child = 0;
    for (let steps = 0; steps < 12 && child === 0; steps += 1) {
      expect(await client.command({ type: 'step' })).toMatchObject({ ok: true });
      // Wait for a frame that shows this step issued, then look for a reader asleep in the kernel.
      // (0 means settled with no reader asleep yet: it counts as an answer, null does not)
      child = await waitFor(
        'the step to settle',
        () => {
          const lesson = client.latest()?.lesson;
          if (!lesson || lesson.steps.some((s) => s.status === 'running')) return null;
          const blocked = client.latest()?.processes.find((p) => p.blocked?.wchan === 'anon_pipe_read');
          return blocked ? blocked.pid : lesson.steps.filter((s) => s.status !== 'pending').length > steps ? 0 : null;
        },
        10_000,
        20,
      );
    }
    expect(child).toBeGreaterThan(0);
    for (const pid of Object.values(client.latest()?.lesson?.roles ?? {})) {
      lessonPids.add(pid);
      const start = procStartTime(pid);
      if (start !== null) seen.set(pid, start);
    }
    expect(lessonPids.has(child)).toBe(true);
    for (const pid of lessonPids) expect(descendsFrom(pid, server.pid)).toBe(true);
    expect(procWchan(child)).toBe('anon_pipe_read');

    server.child.kill('SIGINT');
    expect(await client.closed).toBe(1001);
    expect(await server.stop()).toBe(0);
    for (const pid of lessonPids) {
      await expect.poll(() => exists(pid), { message: `lesson pid ${pid} is gone`, timeout: 5000 }).toBe(false);
    }
  });
});
