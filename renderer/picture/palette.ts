import type { Theme } from '../store/view-slice';

/**
 * Colours of the picture as literal values (not CSS variables) so an exported
 * PNG or a recorded WebM looks exactly like the screen.
 */
export interface Palette {
  background: string;
  text: string;
  muted: string;
  node: string;
  nodeStroke: string;
  lessonAccent: string;
  blocked: string;
  running: string;
  slotEmpty: string;
  slotFill: string;
  slotStroke: string;
  readEdge: string;
  writeEdge: string;
  otherEdge: string;
  flight: string;
  flightText: string;
  eof: string;
  /** A diagnosis that is information, not a fault (a pipe end held out of view): amber, drawn dashed. */
  notice: string;
  font: string;
  mono: string;
  /** Multiplies every font size (lecture mode). */
  scale: number;
}

const FONT = "Inter, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif";
const MONO = "'JetBrains Mono', 'Fira Code', 'DejaVu Sans Mono', Menlo, Consolas, monospace";

const dark: Omit<Palette, 'scale'> = {
  background: '#11151c',
  text: '#e8edf4',
  muted: '#97a3b6',
  node: '#1b2230',
  nodeStroke: '#3a4660',
  lessonAccent: '#7aa2ff',
  blocked: '#ffb547',
  running: '#5fd39a',
  slotEmpty: '#222b3a',
  slotFill: '#4f8cff',
  slotStroke: '#3a4660',
  readEdge: '#5fd39a',
  writeEdge: '#ff8a65',
  otherEdge: '#6b778c',
  flight: '#ffd166',
  flightText: '#1b1300',
  eof: '#ff6b8b',
  notice: '#e6b422',
  font: FONT,
  mono: MONO,
};

const light: Omit<Palette, 'scale'> = {
  background: '#ffffff',
  text: '#141a24',
  muted: '#4f5b6e',
  node: '#f4f6fa',
  nodeStroke: '#9aa6ba',
  lessonAccent: '#2456d6',
  blocked: '#b35c00',
  running: '#15803d',
  slotEmpty: '#e6eaf1',
  slotFill: '#2f6fe4',
  slotStroke: '#9aa6ba',
  readEdge: '#15803d',
  writeEdge: '#c2410c',
  otherEdge: '#8a94a6',
  flight: '#f59e0b',
  flightText: '#1b1300',
  eof: '#be123c',
  notice: '#a16207',
  font: FONT,
  mono: MONO,
};

export function paletteFor(theme: Theme, lecture: boolean): Palette {
  return { ...(theme === 'light' ? light : dark), scale: lecture ? 1.2 : 1 };
}
