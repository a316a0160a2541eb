import { describe, expect, it } from 'vitest';
import { CHILD, PARENT, pipeMoments } from '../../fixtures/pipe-lesson-frames';
import type { TimelineEntry } from '../../store/timeline-slice';
import { activeFlights } from './byte-flight';
import { layoutPicture } from '../layout';

describe('byte flights', () => {
  const { dataQueued, afterClose } = pipeMoments();
  const edges = layoutPicture(dataQueued, false).edges;
  const write = dataQueued.events[0]!;
  const read = afterClose.events[0]!;
  const eofRead = afterClose.events[3]!;

  it('sends a write before the read of the same frame, and a read of 0 carries EOF', () => {
    // The engine may report the reader's return before the writer's: the bytes still go in before they come out.
    const entries: TimelineEntry[] = [read, write, eofRead].map((event) => ({ event, receivedAt: 1000 }));
    const early = activeFlights(entries, edges, 1000 + 300, 1000);
    expect(early.map((f) => f.key)).toEqual([String(write.seq)]);
    // The read leaves the pipe only once the write has landed in it (cause before effect).
    expect(activeFlights(entries, edges, 1000 + 900, 1000).map((f) => f.key)).toEqual([String(write.seq)]);
    const later = activeFlights(entries, edges, 1000 + 1500, 1000);
    expect(later.map((f) => f.key)).toEqual([String(read.seq)]);
    const last = activeFlights(entries, edges, 1000 + 2400, 1000);
    expect(last.map((f) => [f.label, f.eof])).toEqual([['EOF', true]]);
  });

  it('starts a write at the writer and ends it at the pipe', () => {
    const entries: TimelineEntry[] = [{ event: write, receivedAt: 0 }];
    const edge = edges.find((e) => e.pid === PARENT && e.holder.fd === 4)!;
    expect(activeFlights(entries, edges, 0, 1000)[0]!.at).toEqual(edge.from);
    expect(activeFlights(entries, edges, 1000, 1000)[0]!.at).toEqual(edge.to);
    expect(edges.some((e) => e.pid === CHILD && e.holder.fd === 3)).toBe(true);
  });
});
