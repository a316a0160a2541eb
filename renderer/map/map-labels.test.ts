import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { UnixSocketObject } from '../../native-bridge/model/snapshot-types';
import { translate } from '../i18n/strings';

type Locale = Parameters<typeof translate>[0];
import { groupFrame, type FanUnit } from './map-group';
import { MapLayoutState } from './map-layout';
import { fanHoldings, fanSummary, objectLines } from './map-labels';
import { poolFrame } from './testing/pool-frame';
import { wireKeepsPoolFrame } from './testing/wire-pool-frame';

const tr = (locale: Locale) => (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) => translate(locale, key, values);

/** The pool's parent as the engine runs it: its control socket (fd 3) held, the engine's end of the pair not observed. */
function withControlChannel(frame: Frame): Frame {
  const unix = (inode: number, peer: number, holders: UnixSocketObject['holders']): UnixSocketObject => ({ id: `unix:${inode}`, kind: 'unix', inode, type: 'stream', state: 'ESTABLISHED', peer: `unix:${peer}`, queued: 0, holders });
  // 9002 is held by the engine (pid 50, not on the map), as /proc shows in a lesson; 9004 by nobody the probe read.
  return { ...frame, objects: [...frame.objects, unix(9001, 9002, [{ pid: 100, fd: 3, access: 'rw' }]), unix(9002, 9001, [{ pid: 50, fd: 31, access: 'rw' }]), unix(9003, 9004, [{ pid: 100, fd: 4, access: 'rw' }]), unix(9004, 9003, [])] };
}

describe('map labels', () => {
  it('names object kinds in the reader language, with its list punctuation', () => {
    const frame = withControlChannel(poolFrame({ workers: 12 }));
    const fan = groupFrame(frame, new Set()).units.find((u): u is FanUnit => u.kind === 'fan')!;
    fan.objectKinds.unix = 2;
    expect(fanSummary(fan, tr('en'))).toBe('12 × worker — 12 blocked in read; each holds only its own read end (12 pipe, 2 unix)');
    const zh = fanSummary(fan, tr('zh-Hans'));
    expect(zh).toContain('12 个 管道、2 个 Unix 套接字');
    expect(zh).not.toMatch(/pipe|, |\(/);
    expect(fanSummary(fan, tr('zh-Hant'))).toContain('12 個 管道、2 個 Unix 通訊端');
  });

  it('puts a socket held only outside the view under its peer, saying whose end it is, not in the column of unheld objects', () => {
    const frame = withControlChannel(poolFrame({ workers: 12 }));
    const layout = new MapLayoutState().layout(groupFrame(frame, new Set()), frame.processes);
    const mine = layout.objects.find((o) => o.object.id === 'unix:9001')!;
    const outside = layout.objects.find((o) => o.object.id === 'unix:9002')!;
    expect(outside.home).toBe('process:100');
    expect(outside.x).toBe(mine.x);
    expect(outside.y).toBeGreaterThan(mine.y);
    expect(outside.outsidePeer).toBe('unix:9001');
    expect(objectLines(outside.object, tr('en'), outside.outsidePeer).detail).toBe('other end of unix 9001, held outside this view');
    expect(layout.objects.find((o) => o.object.id === 'unix:9004')!.home).toBe('process:100');
    expect(layout.objects.filter((o) => o.home === null)).toEqual([]);
  });

  it('tells the pool\'s two versions apart on the fan: siblings\' write ends held (keeps, lists cut by the wire) against only its own read end (closes)', () => {
    const fanOf = (frame: Frame) => groupFrame(frame, new Set()).units.find((u): u is FanUnit => u.kind === 'fan')!;
    // keeps at 200: worker k holds the write ends of pipes 1..k-1, 0+1+...+199 = 19,900, most of them only counted (fdsOmitted).
    const keeps = fanOf(wireKeepsPoolFrame(200, 16));
    expect(keeps.writeEnds).toMatchObject({ total: 19_900, max: 199 });
    expect(fanHoldings(keeps, tr('en'))).toEqual({ text: "holding 19,900 siblings' write ends (up to 199 each)", trap: true });
    expect(fanHoldings(keeps, tr('zh-Hans'))!.text).toBe('共持有兄弟管道的 19,900 个写端（每个最多 199 个）');
    const closes = fanOf(poolFrame({ workers: 200 }));
    expect(closes.writeEnds).toEqual({ total: 0, max: 0, onlyOwnReadEnd: 200 });
    expect(fanHoldings(closes, tr('en'))).toEqual({ text: 'each holds only its own read end', trap: false });
  });
});
