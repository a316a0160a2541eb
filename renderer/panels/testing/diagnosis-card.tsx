/**
 * Test support for the diagnoses panel: a recorded snapshot made a frame and
 * shown, its first card, and that card read again in other languages. Used
 * by tests only.
 */
import { act, render, screen, within } from '@testing-library/react';
import { expect } from 'vitest';
import type { Frame, Locale } from '../../../native-bridge/model/frame-types';
import type { Snapshot } from '../../../native-bridge/model/snapshot-types';
import { useAppStore } from '../../store/app-store';
import { DiagnosesPanel } from '../diagnoses-panel';

/** A recorded snapshot as the engine would send it: frame `seq`, at 30 Hz, no events, no lesson. */
export const frameOf = (snapshot: Snapshot, seq = 1): Frame => ({ ...snapshot, seq, rateHz: 30, events: [], lesson: null });

/** Sends the store `snapshot` as frame `seq`. */
export function showSnapshot(snapshot: Snapshot, seq = 1): void {
  act(() => useAppStore.getState().ingestFrame(frameOf(snapshot, seq)));
}

/** Renders the panel, sends it `frame` and returns the first diagnosis card. */
export function firstDiagnosisCard(frame: Frame): HTMLElement {
  render(<DiagnosesPanel />);
  act(() => useAppStore.getState().ingestFrame(frame));
  return screen.getByTestId('diagnosis-card-0');
}

export interface CardText {
  heading: RegExp;
  fact: RegExp;
}

/** Switches to each locale in turn (in the order given) and expects the card's heading and the fact `factId` to read so there. */
export function expectCardInLocales(card: HTMLElement, factId: string, byLocale: Partial<Record<Locale, CardText>>): void {
  for (const [locale, { heading, fact }] of Object.entries(byLocale) as [Locale, CardText][]) {
    act(() => useAppStore.getState().setLocale(locale));
    expect(within(card).getByRole('heading').textContent).toMatch(heading);
    expect(screen.getByTestId(factId).textContent).toMatch(fact);
  }
}
