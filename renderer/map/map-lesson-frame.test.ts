import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import { pipeMoments } from '../fixtures/pipe-lesson-frames';
import { mapFrame, plumbingLeftOut } from './map-lesson-frame';
import { poolFrame } from './testing/pool-frame';

describe('mapFrame', () => {
  it('keeps what a lesson\'s workers hold though the lesson lists only the pipes its picture draws (the pool: its first workers\')', () => {
    // running workers (not asleep on their pipes): only holding them keeps the pipes on the map
    const pool = poolFrame({ workers: 20, running: 20 });
    const lessonView = pipeMoments().forked.lesson!;
    // the parent is the lesson's actor; it lists 2 of the 20 workers' pipes, as lesson-workers.ts does (PICTURED_WORKERS)
    const frame: Frame = { ...pool, lesson: { ...lessonView, roles: { parent: 100 }, objects: ['pipe:50000', 'pipe:50001'] } };
    const drawn = mapFrame(frame)!;
    expect(drawn.objects.map((o) => o.id)).toEqual(pool.objects.map((o) => o.id));
    expect(plumbingLeftOut(drawn)).toBe(0);
  });

  it('leaves out what only the actors hold and the lesson does not show, and counts it', () => {
    // every process an actor, none asleep on a pipe
    const pool = poolFrame({ workers: 2, running: 2 });
    const lessonView = pipeMoments().forked.lesson!;
    const roles = Object.fromEntries(pool.processes.map((p, i) => [`r${i}`, p.pid]));
    const frame: Frame = { ...pool, lesson: { ...lessonView, roles, objects: ['pipe:50000'] } };
    const drawn = mapFrame(frame)!;
    // kept: the listed pipe and what a process sleeps on
    const kept = pool.objects.filter((o) => o.id === 'pipe:50000' || pool.processes.some((p) => p.blocked?.object === o.id));
    expect(kept.length).toBeLessThan(pool.objects.length);
    expect(drawn.objects).toEqual(kept);
    expect(plumbingLeftOut(drawn)).toBe(pool.objects.length - kept.length);
    // the same frame gives the same drawn frame (no work per paint)
    expect(mapFrame(frame)).toBe(drawn);
  });
});
