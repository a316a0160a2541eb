import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../cli/wait-for';
import type { CommandResult } from '../model/commands';
import { sendCommand, useServedEngine } from './testing/engine-clients';
import { framesOf } from './web-test-helpers';

/*
 * The browser-mode server in front of the real engine: commands from several
 * clients, sent without waiting for answers, are applied in order, and the
 * engine samples only while a client watches. The kernel is read in /proc.
 */

const engine = useServedEngine('ipcscope-web-engine-');

const text = (path: string): string => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
};

function stepIndex(result: CommandResult): number {
  if (!result.ok) throw new Error(`step failed: ${result.error}`);
  return (result.data as { index: number }).index;
}

describe('browser-mode server on the real engine', () => {
  it('several clients sending start and steps without waiting: every step applied, in order; the child asleep in anon_pipe_read', async () => {
    const { server } = await engine.start();
    const [a, b, c, d] = await Promise.all([engine.connect(server), engine.connect(server), engine.connect(server), engine.connect(server)]);

    const [start, first] = await Promise.all([sendCommand(a!, { type: 'lesson.start', lesson: 'pipe-parent-child' }), sendCommand(a!, { type: 'step' })]);
    expect(start).toMatchObject({ ok: true });
    expect(stepIndex(first!)).toBe(0);
    const parent = (start!.ok ? (start!.data as { roles: Record<string, number> }).roles.parent : -1) ?? -1;

    const perClient = await Promise.all(
      [[a!], [b!, b!], [c!, c!], [d!, d!]].map((clients) => Promise.all(clients.map((client) => sendCommand(client, { type: 'step' })))),
    );
    for (const results of perClient) {
      const indices = results.map(stepIndex);
      expect([...indices].sort((x, y) => x - y), 'a client sees its own steps in the order it sent them').toEqual(indices);
    }
    expect(perClient.flat().map(stepIndex).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    /* step 7 is the child's second read of the empty pipe */
    const child = Number(text(`/proc/${parent}/task/${parent}/children`).split(/\s+/)[0]);
    expect(child).toBeGreaterThan(0);
    await waitFor('the child asleep in read', () => text(`/proc/${child}/wchan`) === 'anon_pipe_read' && text(`/proc/${child}/syscall`).startsWith('0 '), 10_000);
  });

  it('the engine samples only while a client is connected', async () => {
    const { session: s, server: web } = await engine.start();
    expect(s.sampling).toBe(false);
    expect(web.watching()).toBe(false);

    const client = await engine.connect(web);
    await waitFor('frames', () => framesOf(client.messages).length >= 3, 10_000);
    expect(s.sampling).toBe(true);

    client.ws.close();
    await waitFor('no client', () => web.clientCount() === 0);
    expect(web.watching()).toBe(false);
    expect(s.sampling).toBe(false);
  });
});
