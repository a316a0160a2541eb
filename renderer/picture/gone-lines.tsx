import { objectLabel } from '../format/kernel-words';
import type { Translate } from '../i18n/strings';
import { NODE_HEIGHT, NODE_WIDTH, VIEW_WIDTH, type PlacedProcess } from './layout';
import type { Palette } from './palette';
import { estimateWidth } from './text-fit';

/** Up to this many gone objects get a sentence each (what the kernel did to it); more share one short list. */
export const MAX_GONE_SENTENCES = 3;
/* room kept between the text and a process node's side */
const COLUMN_PAD = 14;
/* a blocked badge hangs under a node: text this far below the lowest node is clear of it */
const BADGE_DROP = 60;

/** The "… is gone" line names what the kernel did to this kind of object. */
function goneKey(id: string): 'shmGone' | 'semGone' | 'msgGone' | 'objectGone' {
  if (id.startsWith('shm:')) return 'shmGone';
  if (id.startsWith('sem:')) return 'semGone';
  if (id.startsWith('msg:')) return 'msgGone';
  return 'objectGone';
}

/** The middle column, between the right side of the left nodes and the left side of the right ones. */
function middleColumn(processes: PlacedProcess[]): { left: number; right: number } {
  const lefts = processes.filter((p) => p.side === 'left').map((p) => p.x + NODE_WIDTH / 2);
  const rights = processes.filter((p) => p.side === 'right').map((p) => p.x - NODE_WIDTH / 2);
  return { left: Math.max(0, ...lefts) + COLUMN_PAD, right: Math.min(VIEW_WIDTH, ...rights) - COLUMN_PAD };
}

/** Baselines of `count` lines under the process rows, and never under the frame line at the bottom. */
function baselines(count: number, processes: PlacedProcess[], height: number, s: number): number[] {
  const step = 24 * s;
  const first = Math.max(...processes.map((p) => p.y), height / 2) + NODE_HEIGHT / 2 + 80 * s;
  return Array.from({ length: count }, (_, i) => Math.min(first + i * step, height - 36 * s - (count - 1 - i) * step));
}

type Token = { id: string; label: string };

/** The labels packed into lines no wider than `width`, the first line led by `head`. */
function packLines(head: string, tokens: Token[], width: number, fontSize: number): Token[][] {
  const lines: Token[][] = [[]];
  let used = estimateWidth(`${head} `, fontSize);
  for (const token of tokens) {
    const line = lines[lines.length - 1]!;
    const more = estimateWidth(line.length > 0 ? ` · ${token.label}` : token.label, fontSize);
    if (line.length > 0 && used + more > width) {
      lines.push([token]);
      used = estimateWidth(token.label, fontSize);
    } else {
      line.push(token);
      used += more;
    }
  }
  return lines;
}

interface Props {
  /** Lesson objects the kernel no longer reports, in the lesson's order. */
  gone: string[];
  processes: PlacedProcess[];
  height: number;
  palette: Palette;
  t: Translate;
}

/**
 * What became of lesson objects the kernel no longer reports (a pipe freed
 * when its last holder closed it, a segment removed with IPC_RMID), at the
 * bottom of the middle column. A few get a sentence each, where it fits;
 * more, or sentences that would run across the process nodes (large type in
 * lecture mode), become one short list "6 objects are gone: tcp 1 · pipe 2 …"
 * that fits the column, the sentences in its tooltip.
 */
export function GoneLines({ gone, processes, height, palette, t }: Props) {
  if (gone.length === 0) return null;
  const s = palette.scale;
  const fontSize = 15 * s;
  const sentences = gone.map((id) => ({ id, text: t(goneKey(id), { object: objectLabel(id) }) }));
  const column = middleColumn(processes);
  const columnWidth = column.right - column.left;
  const x = (column.left + column.right) / 2;
  const text = { textAnchor: 'middle' as const, fill: palette.muted, fontFamily: palette.font, fontSize };
  // a sentence may be as wide as the picture where it is clear under every node, else only as wide as the column
  const clearOf = Math.max(...processes.map((p) => p.y + NODE_HEIGHT / 2), 0) + BADGE_DROP * s;
  const ys = baselines(sentences.length, processes, height, s);
  const clear = ys.map((y) => y - fontSize >= clearOf);
  const fits = sentences.every(({ text: line }, i) => estimateWidth(line, fontSize) <= (clear[i] ? VIEW_WIDTH - 2 * COLUMN_PAD : columnWidth));
  if (gone.length <= MAX_GONE_SENTENCES && fits) {
    return (
      <g data-testid="objects-gone" data-form="sentences">
        {sentences.map(({ id, text: line }, i) => (
          <text key={id} data-testid={`gone-${id}`} x={clear[i] ? VIEW_WIDTH / 2 : x} y={ys[i]} {...text}>
            {line}
          </text>
        ))}
      </g>
    );
  }
  const head = t('objectsGone', { n: gone.length });
  const lines = packLines(head, gone.map((id) => ({ id, label: objectLabel(id) })), columnWidth, fontSize);
  const shortYs = baselines(lines.length, processes, height, s);
  return (
    <g data-testid="objects-gone" data-form="short">
      <title>{sentences.map((line) => line.text).join('\n')}</title>
      {lines.map((line, i) => (
        <text key={i} x={x} y={shortYs[i]} {...text}>
          {i === 0 && `${head} `}
          {line.map((token, j) => (
            <tspan key={token.id} data-testid={`gone-${token.id}`} data-reason={sentences.find((l) => l.id === token.id)?.text}>
              {j > 0 ? ` · ${token.label}` : token.label}
            </tspan>
          ))}
        </text>
      ))}
    </g>
  );
}
