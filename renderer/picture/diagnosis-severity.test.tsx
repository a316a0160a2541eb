import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { Snapshot } from '../../native-bridge/model/snapshot-types';
import type { ManualClock } from '../clock/animation-clock';
import captured from '../fixtures/real-frames-diagnoses.json';
import capturedHidden from '../fixtures/real-frames-diagnoses-hidden.json';
import { freshRenderer } from '../fixtures/test-setup';
import { DiagnosesPanel } from '../panels/diagnoses-panel';
import { useAppStore } from '../store/app-store';
import { paletteFor } from './palette';
import { Picture } from './picture';

/*
 * Real frames of python3 processes (capture-frames.ts): a deadlock of two
 * readers, and a reader asleep on pipe 47498420 whose only write end is in
 * flight in a socket's queue (hidden-writer: information, not a fault).
 */
const { deadlock } = captured as unknown as { deadlock: Snapshot };
const { hiddenWriter } = capturedHidden as unknown as { hiddenWriter: Snapshot };

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

function show(snapshot: Snapshot, ui: 'picture' | 'panel' = 'picture') {
  render(ui === 'picture' ? <Picture /> : <DiagnosesPanel />);
  act(() => useAppStore.getState().ingestFrame({ ...snapshot, seq: 1, rateHz: 30, events: [], lesson: null } as Frame));
  act(() => clock.advance(16));
}

describe('a hidden pipe end is drawn as a notice, not as a fault', () => {
  for (const theme of ['dark', 'light'] as const) {
    it(`amber and dashed in the ${theme} theme, where a deadlock is red and solid`, () => {
      act(() => useAppStore.getState().setTheme(theme));
      const palette = paletteFor(theme, false);
      expect(palette.notice).not.toBe(palette.eof);
      show(hiddenWriter);
      const [reader] = hiddenWriter.diagnoses![0]!.processes;
      const halo = screen.getByTestId(`diagnosis-halo-${reader}`);
      expect(halo.getAttribute('data-severity')).toBe('notice');
      expect(halo.getAttribute('stroke')).toBe(palette.notice);
      expect(halo.getAttribute('stroke-dasharray')).toBeTruthy();
      const pipeHalo = screen.getByTestId(`diagnosis-halo-${hiddenWriter.diagnoses![0]!.objects[0]}`);
      expect(pipeHalo.getAttribute('stroke')).toBe(palette.notice);
      const label = screen.getByTestId('diagnosis-label-0');
      expect(label.getAttribute('data-severity')).toBe('notice');
      /* an outlined pill in amber: no red anywhere in the marks */
      expect(label.querySelector('rect')!.getAttribute('stroke')).toBe(palette.notice);
      expect(label.querySelector('text')!.getAttribute('fill')).toBe(palette.notice);
      expect(screen.getByTestId('diagnosis-marks').innerHTML).not.toContain(palette.eof);
      expect(label.querySelector('title')!.textContent).toMatch(/^A reader waiting on a process not shown \(information, not a fault\): .*Faults are drawn red\.$/);
    });
  }

  it('a deadlock keeps its red, solid halo and filled label', () => {
    const palette = paletteFor('dark', false);
    show(deadlock);
    const halo = screen.getByTestId('diagnosis-halo-21358');
    expect(halo.getAttribute('data-severity')).toBe('fault');
    expect(halo.getAttribute('stroke')).toBe(palette.eof);
    expect(halo.getAttribute('stroke-dasharray')).toBeNull();
    expect(screen.getByTestId('diagnosis-label-0').querySelector('rect')!.getAttribute('fill')).toBe(palette.eof);
  });

  it('the label\'s tooltip and the card say it is information, in the three languages', () => {
    show(hiddenWriter, 'panel');
    const card = screen.getByTestId('diagnosis-card-0');
    expect(card.getAttribute('data-severity')).toBe('notice');
    const words = { en: 'information, not a fault', 'zh-Hans': '提示，并非故障', 'zh-Hant': '提示，並非故障' } as const;
    for (const [locale, text] of Object.entries(words)) {
      act(() => useAppStore.getState().setLocale(locale as keyof typeof words));
      expect(screen.getByTestId('diagnosis-notice-0').textContent).toBe(text);
      expect(screen.getByTestId('diagnosis-notice-0').getAttribute('title')).toMatch(locale === 'en' ? /amber and dashed/ : /琥珀色/);
    }
  });

  it('a deadlock\'s card carries no notice', () => {
    show(deadlock, 'panel');
    expect(screen.getByTestId('diagnosis-card-0').getAttribute('data-severity')).toBe('fault');
    expect(screen.queryByTestId('diagnosis-notice-0')).toBeNull();
  });
});
