import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { translate } from '../i18n/strings';
import { paletteFor } from '../picture/palette';
import { MapController } from './map-controller';
import { SMALL } from './map-draw-kit';
import { fanKey } from './map-group';
import { READABLE_CELL_PX } from './map-viewport';
import { poolFrame } from './testing/pool-frame';

/*
 * The view the controller takes when a fan opens, in jsdom (no pixels: the
 * canvas's data-view says the zoom, as the e2e test reads it). The canvas is
 * the size the map gets at 1280x720 beside the side column, and at 1920x1080.
 */

function mapAt(width: number, height: number, lecture = false): { canvas: HTMLCanvasElement; controller: MapController; scale: number } {
  const canvas = document.createElement('canvas');
  Object.defineProperty(canvas, 'clientWidth', { value: width });
  Object.defineProperty(canvas, 'clientHeight', { value: height });
  document.body.append(canvas);
  const palette = paletteFor('dark', lecture);
  const controller = new MapController(
    canvas,
    { palette, t: (key, values) => translate('en', key, values), selection: null, matches: new Set(), hiddenKinds: new Set() },
    { onModel: () => undefined, onHover: () => undefined, onSelect: () => undefined },
  );
  return { canvas, controller, scale: palette.scale };
}

const zoomOf = (canvas: HTMLCanvasElement): number => Number((canvas.dataset.view ?? '0').split('@')[0]);

beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});
afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('MapController opening a fan of 200 workers', () => {
  for (const [screen, width, height, lecture] of [
    ['1280x720', 836, 400, false],
    ['1280x720, lecture type', 836, 400, true],
    ['1920x1080', 1476, 760, false],
  ] as const) {
    it(`brings it into a view where the cells' PIDs read at ${READABLE_CELL_PX} px or more (${screen})`, () => {
      const { canvas, controller, scale } = mapAt(width, height, lecture);
      controller.setFrame(poolFrame({ workers: 200 }));
      controller.tick();
      // Fitted, the closed fan is on screen; opened, fitting the whole map would shrink the cells' text to ~5 px.
      const key = fanKey(100, 'worker');
      controller.toggleFan(key);
      controller.tick();
      expect(SMALL * scale * zoomOf(canvas)).toBeGreaterThanOrEqual(READABLE_CELL_PX - 0.01);
      // The fan's head (its counts and the trap line) is on screen: its top-left corner inside the canvas.
      const [, at] = (canvas.dataset.view ?? '').split('@');
      const [x0, y0] = (at ?? '').split(',').map(Number);
      expect(x0).toBeLessThan(width);
      expect(y0).toBeGreaterThanOrEqual(0);
      // A new frame does not take the view back; closing the fan does (the map is followed again).
      controller.setFrame(poolFrame({ workers: 200, seq: 2 }));
      controller.tick();
      expect(SMALL * scale * zoomOf(canvas)).toBeGreaterThanOrEqual(READABLE_CELL_PX - 0.01);
      controller.toggleFan(key);
      controller.tick();
      controller.dispose();
    });
  }
});
