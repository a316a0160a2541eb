import { describe, expect, it } from 'vitest';
import { paletteFor } from '../picture/palette';
import type { DrawInput } from './map-draw';
import { drawFarNames, FAR_NAME_PX } from './map-draw-far-names';
import { drawInputFor } from './testing/draw-input';
import { poolFrame, withPair } from './testing/pool-frame';
import { recordingContext } from './testing/recording-context';

function farInput(k: number, matches: number[] = []): DrawInput {
  let frame = poolFrame({ workers: 12 });
  for (let i = 0; i < 30; i += 1) frame = withPair(frame, 7000 + 2 * i, 7001 + 2 * i, 90 + i);
  return drawInputFor(frame, { transform: { k, x: 10, y: 10 }, width: 900, height: 700, palette: paletteFor('dark', true), matches: new Set(matches), diagnoses: [] });
}

describe('drawFarNames', () => {
  it('names boxes too small for their heads, none over another, the search match first', () => {
    const { ctx, texts, rounds: backs } = recordingContext();
    const drawn = farInput(0.2, [7003]);
    const written = drawFarNames(ctx, drawn, new Set());
    expect(written).toBeGreaterThan(5);
    // the match is named first, on its own box
    const box = drawn.layout.processAt.get(7003)!;
    expect(texts[0]!.text).toBe('cat');
    expect(backs[0]!.x).toBeCloseTo(box.x * 0.2 + 10);
    expect(texts.map((t) => t.text)).toContain('12 × worker');
    for (let i = 0; i < backs.length; i += 1)
      for (let j = i + 1; j < backs.length; j += 1) {
        const [a, b] = [backs[i]!, backs[j]!];
        expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).toBe(false);
      }
    // at lecture scale on screen
    expect(backs[0]!.h).toBeCloseTo(FAR_NAME_PX * 1.2 + 4);
  });

  it('writes nothing where the boxes carry their own heads', () => {
    const { ctx, texts } = recordingContext();
    expect(drawFarNames(ctx, farInput(1), new Set())).toBe(0);
    expect(texts).toEqual([]);
  });
});
