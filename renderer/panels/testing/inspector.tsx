/**
 * Test support for the inspector (details panel): a frame sent to it with
 * one object selected, and its fact rows read back. Used by tests only.
 */
import { act, render, screen } from '@testing-library/react';
import { expect } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import { useAppStore } from '../../store/app-store';
import { DetailsPanel } from '../details-panel';

/** Sends `frame` to the store and selects the object `id`. */
export function showSelected(frame: Frame, id: string): void {
  act(() => useAppStore.getState().ingestFrame(frame));
  act(() => useAppStore.getState().select(id));
}

/** Renders the inspector with `frame` in the store and `id` selected. */
export function inspect(frame: Frame, id: string): void {
  render(<DetailsPanel />);
  showSelected(frame, id);
}

/** Expects each fact row (test id `facts-NAME`) to read exactly as given. */
export function expectFacts(facts: Record<string, string>): void {
  for (const [name, value] of Object.entries(facts)) expect(screen.getByTestId(`facts-${name}`).textContent, `facts-${name}`).toBe(value);
}
