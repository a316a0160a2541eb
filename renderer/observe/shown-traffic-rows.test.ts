import { describe, expect, it } from 'vitest';
import { shownTrafficRows, type TrafficRow } from './recent-traffic';

const row = (pid: number, bytes: number, object?: string, fd?: number): TrafficRow => ({
  key: object ? `${pid}:${fd}` : String(pid),
  pid,
  fd,
  object,
  read: { bytes: 0, calls: 0 },
  write: { bytes, calls: 1 },
});

/* busiest first, as trafficRows sorts them: a busy machine and one quiet writer */
const rows = [row(10, 9_000_000), row(11, 5_000_000), row(12, 1_000_000), row(13, 500_000), row(42, 120, 'pipe:77', 4)];

describe('the traffic panel lists the selection first', () => {
  it("puts the selected process's row first, though it is the quietest, and keeps the cap", () => {
    const shown = shownTrafficRows(rows, 'process:42', 3);
    expect(shown.map(({ row: r, selected }) => [r.pid, selected])).toEqual([
      [42, true],
      [10, false],
      [11, false],
    ]);
  });

  it("puts the rows through a selected object first", () => {
    expect(shownTrafficRows(rows, 'pipe:77', 2).map(({ row: r }) => r.pid)).toEqual([42, 10]);
  });

  it('with nothing selected (or a selection that moved nothing), the busiest', () => {
    expect(shownTrafficRows(rows, null, 2).map(({ row: r }) => r.pid)).toEqual([10, 11]);
    expect(shownTrafficRows(rows, 'process:99', 2).map(({ row: r, selected }) => [r.pid, selected])).toEqual([
      [10, false],
      [11, false],
    ]);
  });
});
