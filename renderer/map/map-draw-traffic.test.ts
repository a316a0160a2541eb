import { describe, expect, it } from 'vitest';
import type { Frame, Locale } from '../../native-bridge/model/frame-types';
import allTraffic from '../fixtures/real-frame-all-traffic.json';
import { translate } from '../i18n/strings';
import { summarize } from '../observe/recent-traffic';
import { drawMap, type DrawInput } from './map-draw';
import { SMALL } from './map-draw-kit';
import { placeTrafficLabels } from './map-draw-traffic';
import type { Rect } from './map-geometry';
import { drawInputFor } from './testing/draw-input';
import { recordingContext } from './testing/recording-context';

/*
 * A real frame of the whole machine (`ipcscope web --all`) with the traffic
 * /proc/PID/io showed between its last two samples: four python3 siblings
 * writer1..writer4 side by side, each writing to a pipe, besides whatever
 * the machine did (fixtures/real-frame-all-traffic.json, recorded by
 * native-bridge/diagnose/testing/record-map-traffic-frame.ts).
 */
const frame = allTraffic as unknown as Frame;

function input(locale: Locale, k = 1): DrawInput {
  return drawInputFor(frame, {
    transform: { k, x: 0, y: 0 },
    width: 4000,
    height: 4000,
    t: (key, values) => translate(locale, key, values),
    traffic: summarize([{ takenAt: frame.takenAt, intervalMs: 1000, entries: frame.traffic ?? [] }]),
  });
}

const meets = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('traffic labels on the whole machine', () => {
  it('the recorded frame is crowded: written in full from each box\'s left end, neighbours\' rows would run into each other or into boxes', () => {
    const drawn = input('en');
    const writers = frame.processes.filter((p) => /^writer\d$/.test(p.comm));
    expect(writers).toHaveLength(4);
    for (const w of writers) expect(frame.traffic!.some((e) => e.pid === w.pid && e.bytes > 0)).toBe(true);
    // the old placement: every row in full at its box's left end, 6 units per character (the recording context's measure)
    const size = SMALL * drawn.palette.scale;
    const naive = drawn.layout.units
      .filter((u) => (u.unit.kind === 'process' ? [u.unit.process.pid] : u.unit.members.map((m) => m.pid)).some((pid) => drawn.traffic!.processes.has(pid)))
      .map((u) => ({ x: u.x, y: u.y - size * 1.7 - 2, w: 'whole process: 99 B/s written'.length * 6, h: size * 1.6 }));
    const boxes: Rect[] = [...drawn.layout.units, ...drawn.layout.objects];
    const clash = naive.some((a, i) => naive.some((b, j) => i !== j && meets(a, b)) || boxes.some((b) => meets(a, b)));
    expect(clash).toBe(true);
  });

  for (const locale of ['en', 'zh-Hans', 'zh-Hant'] as const) {
    it(`places every label clear of every box (so every name), every diagnosis name and every other label (${locale})`, () => {
      const drawn = input(locale);
      const { ctx } = recordingContext();
      const labels = placeTrafficLabels(ctx, drawn, drawn.traffic!);
      expect(labels.length).toBeGreaterThan(4);
      const boxes: Rect[] = [...drawn.layout.units, ...drawn.layout.objects];
      const unitAt = new Map(drawn.layout.units.map((u) => [u.unit.key, u]));
      for (const [i, label] of labels.entries()) {
        // above its own box, starting over its left three quarters: it reads as that box's
        const own = unitAt.get(label.unit)!;
        expect(label.y + label.h).toBeLessThanOrEqual(own.y);
        expect(label.x).toBeGreaterThanOrEqual(own.x);
        expect(label.x).toBeLessThanOrEqual(own.x + own.w * 0.75);
        for (const b of boxes) expect(meets(label, b), `${label.text} on a box`).toBe(false);
        for (const [j, other] of labels.entries()) if (i !== j) expect(meets(label, other), `${label.text} on ${other.text}`).toBe(false);
      }
      // the writers' rates are said (each writer's box has room above it)
      for (const w of frame.processes.filter((p) => /^writer\d$/.test(p.comm))) expect(labels.some((l) => l.unit === `process:${w.pid}`)).toBe(true);
    });
  }

  it('draws what it placed, and no label twice', () => {
    const drawn = input('en');
    const { ctx, texts } = recordingContext();
    const labels = placeTrafficLabels(recordingContext().ctx, drawn, drawn.traffic!);
    drawMap(ctx, drawn);
    const written = texts.filter((t) => /B\/s/.test(t.text)).map((t) => t.text);
    expect(written.sort()).toEqual(labels.map((l) => l.text).sort());
    // "whole process" once per row, its other direction after it
    for (const text of written) expect(text.split('whole process').length).toBeLessThanOrEqual(2);
  });
});
