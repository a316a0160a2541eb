import { render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RaceEntry, RaceResult } from '../../native-bridge/model/race-types';
import { freshRenderer } from '../fixtures/test-setup';
import { paletteFor } from '../picture/palette';
import { translatorFor } from '../store/selectors';
import { BAR_WIDTH, DOT_WIDTH } from './race-chart-model';
import { RaceChartView, selectRaceShown } from './race-chart';

/*
 * Numbers of one real run of the race lesson at 4096 bytes (the engine test's
 * printout on this machine, 1024 messages, 500 round trips), with the System V
 * queue at 64 KiB's verdict added to show a refused mechanism.
 */
const entry = (mechanism: RaceEntry['mechanism'], bytesPerSecond: number, rttMedianUs: number, rttP95Us: number, calls: number): RaceEntry => ({
  mechanism,
  skipped: null,
  bytesSent: 4096 * 1024,
  bytesReceived: 4096 * 1024,
  checksumSent: '5e0c29a1',
  checksumReceived: '5e0c29a1',
  bytesPerSecond,
  seconds: (4096 * 1024) / bytesPerSecond,
  rttMedianUs,
  rttP95Us,
  syscallsPerMessage: calls,
  sleepsPerMessage: mechanism === 'shm' ? 2 : 0.4,
  kernelCopies: mechanism === 'shm' ? 0 : 2,
  userCopies: mechanism === 'shm' ? 1 : 0,
  inOrder: true,
});

const result: RaceResult = {
  size: 4096,
  messages: 1024,
  rounds: 500,
  entries: [
    entry('pipe', 239.8e6, 22.9, 37.4, 2),
    entry('fifo', 254.2e6, 24.6, 72.2, 2),
    entry('unix', 376.7e6, 27.9, 39.5, 2),
    entry('tcp', 437.5e6, 22.7, 83.1, 2),
    { ...entry('msgq', 0, 0, 0, 0), skipped: { limit: 'msgmax', value: 8192, refusedWith: 'EINVAL' }, bytesReceived: 0, checksumSent: '', checksumReceived: '' },
    entry('shm', 192.5e6, 17.0, 21.3, 4),
    { ...entry('mq', 243.4e6, 17.8, 28.5, 2), checksumReceived: '00000000' },
  ],
};

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

const num = (id: string, attr: string): number => Number(screen.getByTestId(id).getAttribute(attr));

describe('the race chart', () => {
  it('draws each bar from its throughput and each dot from its median round trip, both on log scales', () => {
    render(<RaceChartView result={result} palette={paletteFor('dark', false)} t={translatorFor('en')} />);
    const ran = result.entries.filter((e) => e.skipped === null);
    /* log scale: equal ratios of throughput give equal differences of bar length */
    const perDecade = ran.map((a, i) => {
      const b = ran[(i + 1) % ran.length]!;
      return (num(`race-bar-${a.mechanism}`, 'data-width') - num(`race-bar-${b.mechanism}`, 'data-width')) / Math.log10(a.bytesPerSecond / b.bytesPerSecond);
    });
    for (const k of perDecade) expect(k).toBeCloseTo(perDecade[0]!, 6);
    /* the decades span the bar column; the fastest bar is the longest */
    expect(perDecade[0]! * 1).toBeLessThanOrEqual(BAR_WIDTH);
    expect(num('race-bar-tcp', 'data-width')).toBe(Math.max(...ran.map((e) => num(`race-bar-${e.mechanism}`, 'data-width'))));
    /* round trips on a log scale too: dot distance per decade of median is the same for every pair */
    const perUsDecade = ran.map((a, i) => {
      const b = ran[(i + 1) % ran.length]!;
      return (num(`race-dot-${a.mechanism}`, 'data-x') - num(`race-dot-${b.mechanism}`, 'data-x')) / Math.log10(a.rttMedianUs / b.rttMedianUs);
    });
    for (const k of perUsDecade) expect(k).toBeCloseTo(perUsDecade[0]!, 6);
    expect(num('race-dot-tcp', 'data-x')).toBeLessThan(DOT_WIDTH);
    /* the drawn rect's width is the scale's value */
    expect(Number(screen.getByTestId('race-bar-pipe').getAttribute('width'))).toBeCloseTo(num('race-bar-pipe', 'data-width'), 6);
  });

  it('says which limit refused a mechanism instead of drawing a bar, shows calls and copies, and flags a checksum that differs', () => {
    render(<RaceChartView result={result} palette={paletteFor('light', true)} t={translatorFor('zh-Hans')} />);
    expect(screen.queryByTestId('race-bar-msgq')).toBeNull();
    expect(screen.getByTestId('race-skipped-msgq').textContent).toContain('msgmax');
    expect(screen.getByTestId('race-skipped-msgq').textContent).toContain('8192');
    expect(screen.getByTestId('race-skipped-msgq').textContent).toContain('EINVAL');
    expect(screen.getByTestId('race-cost-shm').getAttribute('data-calls')).toBe('4');
    expect(screen.getByTestId('race-cost-shm').textContent).toContain('2.00');
    expect(screen.getByTestId('race-cost-shm').getAttribute('data-kernel-copies')).toBe('0');
    expect(screen.getByTestId('race-cost-pipe').getAttribute('data-kernel-copies')).toBe('2');
    expect(screen.getByTestId('race-checksum-pipe').getAttribute('data-ok')).toBe('true');
    expect(screen.getByTestId('race-checksum-mq').getAttribute('data-ok')).toBe('false');
    expect(screen.getByTestId('race-honesty').textContent).toContain('1024');
    expect(screen.getByTestId('race-honesty').textContent).toContain('4 KiB');
  });

  it('takes the picture\'s place only once there are numbers and no step is in the kernel', () => {
    const frame = (race: RaceResult | null, status: string) => ({ frame: { lesson: { race, steps: [{ status: 'done' }, { status }] } } });
    expect(selectRaceShown(frame(result, 'done'))).toBe(true);
    expect(selectRaceShown(frame(result, 'blocked'))).toBe(false);
    expect(selectRaceShown(frame(result, 'running'))).toBe(false);
    expect(selectRaceShown(frame({ ...result, entries: [] }, 'done'))).toBe(false);
    expect(selectRaceShown(frame(null, 'done'))).toBe(false);
  });

  it('follows the header switch: Picture or Map shows the processes again, Chart shows the numbers even mid-step', () => {
    const state = (stageView: 'auto' | 'picture' | 'map' | 'chart', race: RaceResult | null, status = 'done') => ({ stageView, frame: { lesson: { race, steps: [{ status }] } } });
    expect(selectRaceShown(state('picture', result))).toBe(false);
    expect(selectRaceShown(state('map', result))).toBe(false);
    expect(selectRaceShown(state('chart', result, 'running'))).toBe(true);
    expect(selectRaceShown(state('chart', null))).toBe(false);
  });
});
