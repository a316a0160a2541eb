import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { PipeObject, Snapshot, UnixSocketObject } from '../../native-bridge/model/snapshot-types';
import { CHILD, pipeMoments } from '../fixtures/pipe-lesson-frames';
import capturedListener from '../fixtures/real-snapshot-listener.json';
import { layoutPicture } from './layout';

describe('the objects a lesson picture shows', () => {
  it('includes a FIFO a lesson process is asleep on in open(), before anyone holds it', () => {
    const { forked } = pipeMoments();
    const fifo: PipeObject = { id: 'fifo:77', kind: 'fifo', inode: 77, holders: [], capacity: null, queued: null, readers: 0, writers: 0, path: '/tmp/x/demo.fifo' };
    const waiting = { op: 'open' as const, syscall: 'openat', syscallNr: 257, fd: null, wchan: 'wait_for_partner', object: fifo.id };
    const frame: Frame = {
      ...forked,
      objects: [...forked.objects, fifo, { ...fifo, id: 'fifo:78', inode: 78 }],
      processes: forked.processes.map((p) => (p.pid === CHILD ? { ...p, blocked: waiting } : p)),
    };
    const shown = layoutPicture(frame, false).objects.map((o) => o.object.id);
    expect(shown).toContain('fifo:77');
    // a FIFO nobody in the lesson made or waits on stays out
    expect(shown).not.toContain('fifo:78');
  });

  it('draws a connected pair once when the lesson made both ends (connect, then accept4), and keeps a client still in the queue', () => {
    /* the unix-stream-server lesson's real processes after one accept (see listener-glyph.test.tsx) */
    const { accepted } = capturedListener as unknown as { accepted: Snapshot };
    const unix = accepted.objects.filter((o): o is UnixSocketObject => o.kind === 'unix');
    const listener = unix.find((o) => o.state === 'LISTEN')!;
    const waiting = unix.find((o) => o.peer === listener.id)!;
    const acceptedEnd = unix.find((o) => o.path === listener.path && o.state === 'ESTAB')!;
    const client1 = unix.find((o) => o.id === acceptedEnd.peer)!;
    const { childBlocked } = pipeMoments();
    /* in the lesson's order: socket(), the clients' socket()s, then accept4 */
    const objects = [listener.id, client1.id, waiting.id, acceptedEnd.id];
    const frame: Frame = { ...accepted, seq: 1, rateHz: 30, events: [], lesson: { ...childBlocked.lesson!, roles: {}, objects } };
    const layout = layoutPicture(frame, false);
    expect(layout.objects.map((o) => o.object.id)).toEqual([listener.id, client1.id, waiting.id]);
    /* the accepted end is drawn by the pair's glyph: shown, never "gone" */
    expect(layout.shownIds.has(acceptedEnd.id)).toBe(true);
  });
});
