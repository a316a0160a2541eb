import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { Snapshot } from '../../native-bridge/model/snapshot-types';
import faults from '../fixtures/real-frames-diagnoses.json';
import notices from '../fixtures/real-frames-diagnoses-hidden.json';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { SideTabs } from './side-tabs';
import { frameOf } from './testing/diagnosis-card';

/*
 * Frames a Sampler with diagnoses on took of real python3 processes
 * (native-bridge/diagnose/testing/capture-frames.ts): hiddenWriter carries
 * one notice (a reader asleep on a pipe whose write end no shown process
 * holds), deadlock one fault. The Diagnoses tab is drawn amber for notices
 * only and red as soon as one diagnosis is a fault.
 */
const { hiddenWriter, hiddenReader } = notices as unknown as { hiddenWriter: Snapshot; hiddenReader: Snapshot };
const { deadlock } = faults as unknown as { deadlock: Snapshot };

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

function diagnosesTab(frame: Frame): HTMLElement {
  render(<SideTabs observing />);
  act(() => useAppStore.getState().ingestFrame(frame));
  return screen.getByTestId('tab-diagnoses');
}

describe('the Diagnoses side tab is as loud as its loudest diagnosis', () => {
  it('is amber, not red, when every diagnosis is only a notice', () => {
    const tab = diagnosesTab(frameOf(hiddenWriter));
    expect(hiddenWriter.diagnoses?.map((d) => d.kind)).toEqual(['hidden-writer']);
    expect(tab.textContent).toBe('Diagnoses (1)');
    expect(tab.getAttribute('data-severity')).toBe('notice');
    expect(tab.classList.contains('notice')).toBe(true);
    expect(tab.classList.contains('alarm')).toBe(false);
  });

  it('is red when any diagnosis is a fault, even beside notices', () => {
    const both: Snapshot = { ...deadlock, diagnoses: [...(hiddenReader.diagnoses ?? []), ...(deadlock.diagnoses ?? [])] };
    const tab = diagnosesTab(frameOf(both));
    expect(tab.textContent).toBe('Diagnoses (2)');
    expect(tab.getAttribute('data-severity')).toBe('fault');
    expect(tab.classList.contains('alarm')).toBe(true);
    expect(tab.classList.contains('notice')).toBe(false);
  });

  it('is neither when nothing is diagnosed', () => {
    const tab = diagnosesTab(frameOf({ ...hiddenWriter, diagnoses: [] }));
    expect(tab.textContent).toBe('Diagnoses (0)');
    expect(tab.hasAttribute('data-severity')).toBe(false);
    expect(tab.classList.contains('alarm') || tab.classList.contains('notice')).toBe(false);
  });
});
