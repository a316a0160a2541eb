/**
 * Small SVG icons: media-control glyphs (⏸ ⏭ ⏳) are missing from many
 * fonts (no emoji font on lab machines), so they are drawn instead.
 */
const PATHS = {
  play: 'M5 3.5v13l11-6.5z',
  pause: 'M5 3.5h3.5v13H5zM11.5 3.5H15v13h-3.5z',
  step: 'M4 3.5v13l9-6.5zM13.5 3.5H16v13h-2.5z',
  stepBack: 'M16 3.5v13l-9-6.5zM6.5 3.5H4v13h2.5z',
  question: 'M3 3h14a1.5 1.5 0 0 1 1.5 1.5v8A1.5 1.5 0 0 1 17 14h-7l-4.5 3.5V14H3a1.5 1.5 0 0 1-1.5-1.5v-8A1.5 1.5 0 0 1 3 3zm6 8.2v1.6h2v-1.6zm1-6.4c-1.6 0-2.7 1-2.8 2.5h1.8c.1-.6.5-1 1-1s1 .4 1 .9c0 .9-1.9 1-1.9 2.9h1.9c0-1.3 2-1.5 2-3 0-1.4-1.2-2.3-3-2.3z',
  restart: 'M10 3a7 7 0 1 0 7 7h-2.2A4.8 4.8 0 1 1 10 5.2V8l4-3.9L10 .2z',
  hourglass: 'M5 2h10v2.2c0 2-1.4 3.6-3.2 5.8 1.8 2.2 3.2 3.8 3.2 5.8V18H5v-2.2c0-2 1.4-3.6 3.2-5.8C6.4 7.8 5 6.2 5 4.2z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16 }: { name: IconName; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 20 20" aria-hidden="true" focusable="false" className={`icon icon-${name}`}>
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}

/** The hourglass inside the picture's SVG (position and colour given). */
export function HourglassGlyph({ x, y, size, color }: { x: number; y: number; size: number; color: string }) {
  return (
    <g transform={`translate(${x},${y}) scale(${size / 20})`} aria-hidden="true">
      <path d={PATHS.hourglass} fill={color} />
    </g>
  );
}
