/**
 * Text widths in the picture, estimated without a DOM (the picture is also
 * exported and tested in jsdom, which measures nothing). Han characters are
 * about one em wide; Latin letters a little over half; monospace 0.6 em.
 */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

export function estimateWidth(text: string, fontSize: number, mono = false): number {
  let ems = 0;
  for (const ch of text) ems += WIDE.test(ch) ? 1 : mono ? 0.6 : 0.58;
  return ems * fontSize;
}

/** The text, cut with "…" so that it fits `maxWidth`. */
export function clipToWidth(text: string, maxWidth: number, fontSize: number, mono = false): string {
  if (estimateWidth(text, fontSize, mono) <= maxWidth) return text;
  let out = '';
  for (const ch of text) {
    if (estimateWidth(`${out}${ch}…`, fontSize, mono) > maxWidth) break;
    out += ch;
  }
  return `${out}…`;
}
