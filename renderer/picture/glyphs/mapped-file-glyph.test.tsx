import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import type { MappedFileObject, Snapshot } from '../../../native-bridge/model/snapshot-types';
import captured from '../../fixtures/real-snapshot-mmap-lock.json';
import { pipeMoments } from '../../fixtures/pipe-lesson-frames';
import { frameFeed } from '../../fixtures/frame-feed';
import { fileName } from './mapped-file-glyph';
import { Picture } from '../picture';

/*
 * Two moments of the mmap-lock lesson (flock), sampled by the engine's probe
 * (takeSnapshot of the two role pids) while it ran: `mapped` after the reader
 * loaded the writer's "hello through the file" from its own mapping; `waiting`
 * with the writer holding the flock, the reader asleep in flock()
 * (locks_lock_inode_wait), and the writer's "version 2" stored over the start
 * of the first string.
 */
interface Moment {
  roles: Record<string, number>;
  lessonObjects: string[];
  snapshot: Snapshot;
}
const { mapped, waiting } = captured as unknown as { mapped: Moment; waiting: Moment };

function lessonFrame(moment: Moment, seq: number): Frame {
  const { childBlocked } = pipeMoments();
  return { ...moment.snapshot, seq, rateHz: 30, events: [], lesson: { ...childBlocked.lesson!, roles: moment.roles, objects: moment.lessonObjects } };
}
const fileOf = (m: Moment) => m.snapshot.objects.find((o): o is MappedFileObject => o.kind === 'mmap')!;

const { show } = frameFeed();

describe('the mapped-file picture', () => {
  it('draws the numbers of a recorded frame: name, inode, size, first bytes, how many map it, each range from /proc/PID/maps', () => {
    const file = fileOf(mapped);
    render(<Picture />);
    show(lessonFrame(mapped, 1));
    const id = file.id;
    expect(screen.getByTestId(`object-${id}`).getAttribute('data-kind')).toBe('mmap');
    expect(screen.getByTestId(`mmap-title-${id}`).textContent).toBe('shared.dat');
    expect(screen.getByTestId(`mmap-file-${id}`).textContent).toBe(`inode ${file.inode} · ${file.size} B`);
    expect(screen.getByTestId(`mmap-peek-${id}`).textContent).toBe('hello through the file');
    expect(screen.getByTestId(`mmap-pages-${id}`).getAttribute('data-pages')).toBe('1');
    expect(screen.getByTestId(`mmap-count-${id}`).getAttribute('data-attached')).toBe('2');
    expect(file.mappings).toHaveLength(2);
    for (const m of file.mappings) {
      expect(screen.getByTestId(`mmap-range-${id}-${m.pid}-${m.start}`).textContent).toBe(`pid ${m.pid} at 0x${m.start} · ${BigInt(`0x${m.end}`) - BigInt(`0x${m.start}`)} B rw-s`);
    }
    /* both processes' descriptors on the file are drawn as edges */
    for (const h of file.holders) expect(screen.getByTestId(`edge-${h.pid}-${h.fd}`).getAttribute('data-object')).toBe(id);
  });

  it('follows the bytes live: "version 2" written over the start of the first string, the rest of it still there', () => {
    const file = fileOf(waiting);
    render(<Picture />);
    show(lessonFrame(mapped, 1));
    show(lessonFrame(waiting, 2));
    expect(screen.getByTestId(`mmap-peek-${file.id}`).textContent).toBe('version 2\\0ugh the file');
  });

  it('names a file by its last path component, also once unlinked', () => {
    expect(fileName('/tmp/d/shared.dat')).toBe('shared.dat');
    expect(fileName('/tmp/d/shared.dat (deleted)')).toBe('shared.dat (deleted)');
  });
});
