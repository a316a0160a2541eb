import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { PipeObject } from '../../native-bridge/model/snapshot-types';
import { CHILD, pipeMoments } from '../fixtures/pipe-lesson-frames';
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
});
