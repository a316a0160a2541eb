import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { Snapshot } from '../../native-bridge/model/snapshot-types';
import capturedHidden from '../fixtures/real-frames-diagnoses-hidden.json';
import { translate } from '../i18n/strings';
import { paletteFor } from '../picture/palette';
import { drawMap, type DrawInput } from './map-draw';
import { groupFrame } from './map-group';
import { tooltipLines } from './map-tooltip';
import { drawInputFor } from './testing/draw-input';
import { recordingContext } from './testing/recording-context';

/*
 * A real frame (capture-frames.ts hidden): python3 10387 asleep in read(3) on
 * pipe 47498420, whose only write end is in flight in a socket's queue. Its
 * hidden-writer diagnosis is a notice: on the map its outlines are amber and
 * dashed, never the fault's solid red.
 */
const { hiddenWriter } = capturedHidden as unknown as { hiddenWriter: Snapshot };
const frame = { ...hiddenWriter, seq: 1, rateHz: 30, events: [], lesson: null } as Frame;

function input(theme: 'dark' | 'light'): DrawInput {
  return drawInputFor(frame, { palette: paletteFor(theme, false) });
}

describe('the map draws a hidden pipe end as a notice', () => {
  for (const theme of ['dark', 'light'] as const) {
    it(`amber dashed outlines and an amber name in the ${theme} theme, no red`, () => {
      const { ctx, lines, texts } = recordingContext();
      const drawn = input(theme);
      expect(drawn.diagnoses.map((d) => d.kind)).toEqual(['hidden-writer']);
      drawMap(ctx, drawn);
      const amber = lines.filter((s) => s.stroke === drawn.palette.notice);
      // the reader and its pipe
      expect(amber.length).toBeGreaterThanOrEqual(2);
      for (const s of amber) expect(s.dash.length).toBeGreaterThan(0);
      expect(lines.some((s) => s.stroke === drawn.palette.eof)).toBe(false);
      expect(texts.find((t) => t.fill === drawn.palette.notice)?.text).toBeTruthy();
      expect(texts.some((t) => t.fill === drawn.palette.eof)).toBe(false);
    });
  }

  it('the tooltip of the reader and of the pipe says it is information, not a fault', () => {
    const groups = groupFrame(frame, new Set());
    const model = { frame, groups } as unknown as Parameters<typeof tooltipLines>[1];
    const t = (key: Parameters<DrawInput['t']>[0], values?: Parameters<DrawInput['t']>[1]) => translate('en', key, values);
    const d = frame.diagnoses![0]!;
    expect(tooltipLines({ type: 'process', pid: d.processes[0]! }, model, t)).toContain('A reader waiting on a process not shown · information, not a fault');
    expect(tooltipLines({ type: 'object', id: d.objects[0]! }, model, t)).toContain('A reader waiting on a process not shown · information, not a fault');
    const zh = (key: Parameters<DrawInput['t']>[0], values?: Parameters<DrawInput['t']>[1]) => translate('zh-Hans', key, values);
    expect(tooltipLines({ type: 'object', id: d.objects[0]! }, model, zh)).toContain('读者在等待未显示的进程 · 提示，并非故障');
  });
});
