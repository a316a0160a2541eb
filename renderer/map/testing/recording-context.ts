/** A 2D context that records what is written and stroked, in which colour, width and dash, and does nothing else. */
export function recordingContext(): {
  ctx: CanvasRenderingContext2D;
  texts: { text: string; fill: string; x: number; y: number; font: string }[];
  strokes: string[];
  lines: { stroke: string; width: number; dash: number[] }[];
  rounds: { x: number; y: number; w: number; h: number; stroke: string }[];
} {
  const texts: { text: string; fill: string; x: number; y: number; font: string }[] = [];
  const strokes: string[] = [];
  const lines: { stroke: string; width: number; dash: number[] }[] = [];
  let dash: number[] = [];
  const rounds: { x: number; y: number; w: number; h: number; stroke: string }[] = [];
  const state: Record<string, unknown> = { fillStyle: '', strokeStyle: '', font: '10px sans', globalAlpha: 1, lineWidth: 1 };
  const ctx = new Proxy(state, {
    get(target, key: string) {
      if (key === 'setLineDash') return (d: number[]) => (dash = [...d]);
      if (key === 'fillText') return (text: string, x: number, y: number) => texts.push({ text, fill: String(target.fillStyle), x, y, font: String(target.font) });
      if (key === 'roundRect') return (x: number, y: number, w: number, h: number) => rounds.push({ x, y, w, h, stroke: String(target.strokeStyle) });
      if (key === 'stroke' || key === 'strokeRect')
        return () => {
          strokes.push(String(target.strokeStyle));
          lines.push({ stroke: String(target.strokeStyle), width: Number(target.lineWidth), dash });
        };
      if (key === 'measureText') return (text: string) => ({ width: text.length * 6 });
      if (key in target) return target[key];
      return () => undefined;
    },
    set(target, key: string, value: unknown) {
      target[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, texts, strokes, lines, rounds };
}
