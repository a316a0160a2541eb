import type { Frame } from '../../../native-bridge/model/frame-types';
import { translate } from '../../i18n/strings';
import { paletteFor } from '../../picture/palette';
import type { DrawInput } from '../map-draw';
import { groupFrame } from '../map-group';
import { MapLayoutState } from '../map-layout';

/**
 * What drawMap is given for `frame` laid out with every fan closed: English,
 * the dark theme on a 2000x2000 canvas at zoom 1, nothing selected, hovered,
 * matched or hidden, and the frame's own diagnoses; `overrides` replaces any
 * of these.
 */
export function drawInputFor(frame: Frame, overrides: Partial<DrawInput> = {}): DrawInput {
  return {
    layout: new MapLayoutState().layout(groupFrame(frame, new Set()), frame.processes),
    transform: { k: 1, x: 0, y: 0 },
    width: 2000,
    height: 2000,
    dpr: 1,
    palette: paletteFor('dark', false),
    t: (key, values) => translate('en', key, values),
    selection: null,
    hovered: null,
    matches: new Set(),
    hiddenKinds: new Set(),
    diagnoses: frame.diagnoses ?? [],
    ...overrides,
  };
}
