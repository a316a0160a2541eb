import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { FileLockObject, MappedFileObject, Snapshot } from '../../native-bridge/model/snapshot-types';
import captured from '../fixtures/real-snapshot-mmap-lock.json';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { DetailsPanel } from './details-panel';

/* the mmap-lock lesson's recorded moment with the reader asleep waiting for the writer's flock (see mapped-file-glyph.test.tsx) */
const { waiting } = captured as unknown as { waiting: { snapshot: Snapshot } };
const frame: Frame = { ...waiting.snapshot, seq: 1, rateHz: 30, events: [], lesson: null };

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

describe('details of a mapped file and a file lock', () => {
  it('lists the file, each mapping as /proc/PID/maps has it, and the /proc/locks lines with the waiter under the lock', () => {
    const file = waiting.snapshot.objects.find((o): o is MappedFileObject => o.kind === 'mmap')!;
    const lock = waiting.snapshot.objects.find((o): o is FileLockObject => o.kind === 'lock')!;
    render(<DetailsPanel />);
    act(() => useAppStore.getState().ingestFrame(frame));
    act(() => useAppStore.getState().select(file.id));
    expect(screen.getByTestId(`facts-file-${file.id}`).textContent).toBe(`${file.path} · inode ${file.inode} · 4096 B`);
    for (const m of file.mappings) expect(screen.getByTestId('details-panel').textContent).toContain(`${m.pid} ${m.start}-${m.end} rw-s +0 (4096 B)`);
    act(() => useAppStore.getState().select(lock.id));
    const [held, waiter] = [lock.locks[0]!, lock.waiters[0]!];
    expect(screen.getByTestId(`facts-locks-${lock.id}`).textContent).toBe(`FLOCK WRITE ${held.pid} 0-EOF-> FLOCK WRITE ${waiter.pid} 0-EOF`);
  });
});
