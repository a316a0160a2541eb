import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../native-bridge/model/snapshot-types';
import captured from '../fixtures/real-frames-diagnoses-hidden.json';
import { freshRenderer } from '../fixtures/test-setup';
import { expectCardInLocales, firstDiagnosisCard, frameOf } from './testing/diagnosis-card';

/*
 * A frame a Sampler with diagnoses on took of real python3 processes
 * (native-bridge/diagnose/testing/capture-frames.ts hidden): 10387 asleep in
 * read(3) on pipe 47498420, whose only write end was sent over a socket and
 * closed, so no process holds it and the kernel still counts it open; 10440
 * asleep in write(4) on the full pipe 47498518, whose only read end was.
 */
const { hiddenWriter, hiddenReader } = captured as unknown as { hiddenWriter: Snapshot; hiddenReader: Snapshot };

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

describe('the diagnoses panel, a pipe end waited on but not shown', () => {
  it('names a reader waiting on a write end not shown without calling it stuck, in the three languages', () => {
    const card = firstDiagnosisCard(frameOf(hiddenWriter));
    expect(card.getAttribute('data-kind')).toBe('hidden-writer');
    expect(within(card).getByRole('heading').textContent).toMatch(/^A reader waiting on a process not shown · seen for \d+\.\d s$/);
    expect(card.textContent).toContain('Not stuck for sure');
    expect(screen.getByTestId('diagnosis-fact-0-0').textContent).toBe('pid 10387 (python3) sleeps in read(3) on pipe 47498420, which is empty.');
    expect(screen.getByTestId('diagnosis-fact-0-1').textContent).toMatch(/^A write end of pipe 47498420 is open in a process this view does not show \(poll on a read end: no POLLHUP\)/);
    expect(card.textContent).not.toMatch(/deadlock|never see EOF/i);

    expectCardInLocales(card, 'diagnosis-fact-0-1', {
      'zh-Hans': { heading: /^读者在等待未显示的进程/, fact: /^pipe 47498420 的一个写端在本视图未显示的进程中打开着（对读端 poll：没有 POLLHUP）/ },
      'zh-Hant': { heading: /^讀者在等待未顯示的行程/, fact: /^pipe 47498420 的一個寫端在本視圖未顯示的行程中開著（對讀端 poll：沒有 POLLHUP）/ },
    });
  });

  it('names a writer waiting on a read end not shown, in the three languages', () => {
    const card = firstDiagnosisCard(frameOf(hiddenReader));
    expect(card.getAttribute('data-kind')).toBe('hidden-reader');
    expect(within(card).getByRole('heading').textContent).toMatch(/^A writer waiting on a process not shown · seen for \d+\.\d s$/);
    expect(screen.getByTestId('diagnosis-fact-0-0').textContent).toBe('pid 10440 (python3) sleeps in write(4) on pipe 47498518, which is full (65536 of 65536 bytes).');
    expect(screen.getByTestId('diagnosis-fact-0-1').textContent).toMatch(/^A read end of pipe 47498518 is open in a process this view does not show \(poll on a write end: no POLLERR\)/);
    expectCardInLocales(card, 'diagnosis-fact-0-1', {
      'zh-Hans': { heading: /^写者在等待未显示的进程/, fact: /^pipe 47498518 的一个读端在本视图未显示的进程中打开着（对写端 poll：没有 POLLERR）/ },
      'zh-Hant': { heading: /^寫者在等待未顯示的行程/, fact: /^pipe 47498518 的一個讀端在本視圖未顯示的行程中開著（對寫端 poll：沒有 POLLERR）/ },
    });
  });
});
