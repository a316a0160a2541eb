import type { Translate } from '../../i18n/strings';
import type { Palette } from '../palette';

/** What the picture gives every glyph besides its object: where its centre is, how to draw and word it, and selection. */
export interface GlyphProps {
  x: number;
  y: number;
  palette: Palette;
  t: Translate;
  selected: boolean;
  onSelect(id: string): void;
}
