import { act, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../native-bridge/model/snapshot-types';
import captured from '../fixtures/real-frames-diagnoses.json';
import healthy from '../fixtures/real-snapshot-two-pipes.json';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { DiagnosesPanel } from './diagnoses-panel';
import { SideTabs } from './side-tabs';
import { frameOf } from './testing/diagnosis-card';

/*
 * Frames a Sampler with diagnoses on took of real python3 processes
 * (native-bridge/diagnose/testing/capture-frames.ts):
 *   deadlock: 21358 asleep in read(3) on pipe 2537797, whose only write end 21455 holds (fd 4),
 *             21455 asleep in read(5) on pipe 2537798, whose only write end 21358 holds (fd 6);
 *   never-eof: 21476 and 21564 asleep in read(3) on pipe 2550053, whose only write end is 21476's own fd 4.
 */
const frames = captured as unknown as { deadlock: Snapshot; neverEof: Snapshot };

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

function show(snapshot: Snapshot) {
  render(<DiagnosesPanel />);
  act(() => useAppStore.getState().ingestFrame(frameOf(snapshot)));
}

describe('the diagnoses panel', () => {
  it('names the deadlock and words each ring member with the syscall, the object and who alone holds the other end', () => {
    show(frames.deadlock);
    const card = screen.getByTestId('diagnosis-card-0');
    expect(card.getAttribute('data-kind')).toBe('deadlock');
    expect(within(card).getByRole('heading').textContent).toMatch(/^Deadlock · seen for \d+\.\d s$/);
    expect(screen.getByTestId('diagnosis-fact-0-0').textContent).toBe(
      'pid 21358 (python3) sleeps in read(3) on pipe 2537797, which is empty. Only pid 21455 (python3) through fd 4 holds a write end, and it sleeps too.',
    );
    expect(screen.getByTestId('diagnosis-fact-0-1').textContent).toContain('Only pid 21358 (python3) through fd 6 holds a write end');
    expect(screen.getByTestId('diagnosed-at').textContent).toContain(new Date(frames.deadlock.diagnosedAt!).toISOString().slice(11, 23));
  });

  it('points at the forgotten write end with the number the picture marks it with', () => {
    show(frames.neverEof);
    expect(screen.getByTestId('diagnosis-card-0').getAttribute('data-kind')).toBe('never-eof');
    const forgotten = screen.getByTestId('diagnosis-fact-0-2');
    expect(forgotten.textContent).toBe('1Write end fd 4 is still open in pid 21476 (python3), which itself sleeps reading pipe 2550053. Closing it lets the reader see EOF.');
    expect(within(forgotten).getByTitle('marked 1 in the picture')).toBeTruthy();
  });

  it('speaks the learner\'s language', () => {
    show(frames.deadlock);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(within(screen.getByTestId('diagnosis-card-0')).getByRole('heading').textContent).toMatch(/^死锁/);
    expect(screen.getByTestId('diagnosis-fact-0-0').textContent).toBe('进程 21358（python3）睡在 read(3) 中，等待空的 pipe 2537797。只有进程 21455（python3）通过 fd 4 持有写端，而它也在睡。');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(within(screen.getByTestId('diagnosis-card-0')).getByRole('heading').textContent).toMatch(/^死結/);
  });

  it('says so when a diagnosed frame has nothing stuck, and when frames are not diagnosed', () => {
    const clean: Snapshot = { ...(healthy as unknown as Snapshot), diagnoses: [], diagnosedAt: 1795261341940 };
    show(clean);
    expect(screen.getByTestId('diagnoses-none').textContent).toMatch(/^Nothing stuck found/);
    act(() => useAppStore.getState().ingestFrame(frameOf(healthy as unknown as Snapshot, 2)));
    expect(screen.getByTestId('diagnoses-panel').textContent).toContain('These frames are not diagnosed.');
  });

  it('has a side tab counting the diagnoses', () => {
    render(<SideTabs />);
    act(() => useAppStore.getState().ingestFrame(frameOf(frames.neverEof)));
    const tab = screen.getByTestId('tab-diagnoses');
    expect(tab.textContent).toBe('Diagnoses (1)');
    act(() => tab.click());
    expect(screen.getByTestId('diagnoses-panel')).toBeTruthy();
  });
});
