import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { Snapshot } from '../../native-bridge/model/snapshot-types';
import type { ManualClock } from '../clock/animation-clock';
import captured from '../fixtures/real-frames-diagnoses.json';
import healthy from '../fixtures/real-snapshot-two-pipes.json';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { fdMarksWithDiagnoses } from './diagnosis-marks';
import { Picture } from './picture';

/* Real frames of python3 processes (see renderer/panels/diagnoses-panel.test.tsx for what the kernel showed). */
const frames = captured as unknown as { deadlock: Snapshot; neverEof: Snapshot };

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

function show(snapshot: Snapshot) {
  render(<Picture />);
  act(() => useAppStore.getState().ingestFrame({ ...snapshot, seq: 1, rateHz: 30, events: [], lesson: null } as Frame));
  act(() => clock.advance(16));
}

describe('diagnoses in the picture', () => {
  it('draws the deadlock as a ring through both processes and the pipe each sleeps on', () => {
    show(frames.deadlock);
    const marks = screen.getByTestId('diagnosis-0');
    expect(marks.getAttribute('data-kind')).toBe('deadlock');
    expect(marks.getAttribute('data-processes')).toBe('21358 21455');
    const ring = screen.getByTestId('diagnosis-ring-0').getAttribute('d')!;
    /* process, its pipe, the next process, its pipe: four corners, closed */
    expect(ring.split('L')).toHaveLength(4);
    expect(ring.endsWith('Z')).toBe(true);
    for (const id of ['21358', '21455', 'pipe:2537797', 'pipe:2537798']) expect(screen.getByTestId(`diagnosis-halo-${id}`)).toBeTruthy();
    expect(screen.getByTestId('diagnosis-label-0').querySelector('text')!.textContent).toBe('deadlock');
    /* the kernel's own facts stay as they were: both asleep reading */
    expect(screen.getByTestId('process-21358').getAttribute('data-waits-on')).toBe('pipe:2537797');
  });

  it('marks the forgotten write end of a never-EOF reader with a numbered fd mark', () => {
    show(frames.neverEof);
    expect(screen.getByTestId('diagnosis-0').getAttribute('data-kind')).toBe('never-eof');
    expect(screen.getByTestId('edge-21476-4').getAttribute('data-focus')).toBe('1');
    expect(screen.getByTestId('focus-mark-1').textContent).toBe('1');
    expect(screen.getByTestId('diagnosis-label-0').querySelector('text')!.textContent).toBe('never EOF');
    expect(screen.queryByTestId('diagnosis-ring-0')).toBeNull();
  });

  it('draws nothing for a healthy snapshot', () => {
    show({ ...(healthy as unknown as Snapshot), diagnoses: [] });
    expect(screen.queryByTestId('diagnosis-marks')).toBeNull();
    expect(screen.queryByTestId('diagnosis-labels')).toBeNull();
  });

  it('numbers diagnosis marks after the lesson\'s own, and never twice', () => {
    const lesson = new Map([['7:4', 1]]);
    const marks = fdMarksWithDiagnoses(lesson, [
      { kind: 'never-eof', processes: [7], objects: ['pipe:1'], evidence: [], facts: [], descriptors: [{ pid: 7, fd: 4, object: 'pipe:1' }, { pid: 8, fd: 5, object: 'pipe:1' }] },
    ]);
    expect([...marks]).toEqual([['7:4', 1], ['8:5', 2]]);
  });
});
