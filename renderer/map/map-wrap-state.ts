import { BAND_GAP, chooseWrap, cutColumn, type ColumnBox, type ColumnPieces, type Wrap } from './map-wrap';

/** The map's canvas in CSS px: the shape the columns wrap to. */
export interface MapView {
  width: number;
  height: number;
}

/** Room kept under a band that has another band below it: a few more rows before the bands below move. */
export const BAND_HEADROOM = 128;

/**
 * The wrap the map keeps from frame to frame (map-wrap.ts chooses it). It is
 * chosen again only when the canvas changes size or rewrap() asks (Fit,
 * close gaps); between those a process coming or going moves nothing else:
 * a column new since then joins the band of the column left of it, a band's
 * height only grows (with room for two more rows, so the bands below move
 * now and then, all together), and a column's cut stays at the same cap.
 */
export class WrapState {
  private wrap: Wrap = { bands: [], cap: Infinity };
  private bandOf = new Map<number, number>();
  private bandHeight: number[] = [];
  /** The canvas size the wrap was chosen for ('' : not chosen, or asked again). */
  private wrappedFor = '';
  /** Piece of each slot (by the identity the layout gives it) since the wrap was chosen: a slot never changes piece. */
  private pieceOf = new Map<unknown, number>();

  rewrap(): void {
    this.wrappedFor = '';
    this.bandHeight = [];
  }

  /**
   * Top-left corner of every slot of every column, in slot order. `glued` is
   * the column of unheld objects: first band, left of column 0 (its pieces
   * end at x 0 minus nothing: the last one starts at -width).
   */
  place(columns: ColumnBox[], view: MapView | undefined, glued: number, ids: Map<number, unknown[]> = new Map()): Map<number, { x: number; y: number }[]> {
    const sorted = [...columns].sort((a, b) => a.column - b.column);
    this.choose(sorted, view, glued);
    const bandOf = (column: number): number => (column === glued ? 0 : (this.bandOf.get(column) ?? 0));
    const cuts = new Map(sorted.map((c) => [c.column, this.cut(c, ids.get(c.column), this.bandHeight[bandOf(c.column)])]));
    // a band's kept height only grows; one with a band under it keeps headroom, so a few more rows move nothing
    const tallest: number[] = [];
    for (const c of sorted) tallest[bandOf(c.column)] = Math.max(tallest[bandOf(c.column)] ?? 0, cuts.get(c.column)!.tallest);
    tallest.forEach((height, band) => {
      const room = band < tallest.length - 1 ? BAND_HEADROOM : 0;
      const kept = this.bandHeight[band];
      if (kept === undefined || height > kept) this.bandHeight[band] = height + room;
    });
    const tops: number[] = [];
    for (let b = 0, y = 0; b < tallest.length; b += 1) {
      tops[b] = y;
      y += (this.bandHeight[b] ?? 0) + BAND_GAP;
    }
    const placed = new Map<number, { x: number; y: number }[]>();
    const bandX = new Map<number, number>();
    for (const c of sorted) {
      const cut = cuts.get(c.column)!;
      const band = bandOf(c.column);
      let left: number;
      if (c.column === glued) left = -c.width * cut.pieces;
      else {
        left = bandX.get(band) ?? 0;
        bandX.set(band, left + c.width * cut.pieces);
      }
      placed.set(
        c.column,
        cut.at.map(({ piece, y }) => ({ x: left + piece * c.width, y: (tops[band] ?? 0) + y })),
      );
    }
    return placed;
  }

  /**
   * The column cut at the wrap's cap, each slot kept in the piece it first
   * went to (`ids`: the slots' identities, in order). A new slot joins the
   * last piece while that stays within the band's kept height, so a process
   * appearing opens a new piece (and moves the columns right of it) only
   * when the band has no room left.
   */
  private cut(c: ColumnBox, ids: unknown[] | undefined, kept: number | undefined): ColumnPieces {
    const cap = this.wrap.cap;
    if (!ids || cap === Infinity) return cutColumn(c.slots, cap);
    const limit = Math.max(cap, kept ?? 0);
    const at: ColumnPieces['at'] = [];
    let piece = 0;
    let y = 0;
    let tallest = 0;
    c.slots.forEach((h, i) => {
      const known = this.pieceOf.get(ids[i]);
      if (known !== undefined && known > piece) {
        piece = known;
        y = 0;
      } else if (known === undefined && y > 0 && y + h > limit) {
        piece += 1;
        y = 0;
      }
      this.pieceOf.set(ids[i], piece);
      at.push({ piece, y });
      y += h;
      tallest = Math.max(tallest, y);
    });
    return { pieces: piece + 1, tallest, at };
  }

  private choose(sorted: ColumnBox[], view: MapView | undefined, glued: number): void {
    const size = view && view.width > 0 && view.height > 0 ? `${Math.round(view.width)}x${Math.round(view.height)}` : '';
    if (size !== this.wrappedFor) {
      this.wrappedFor = size;
      this.pieceOf.clear();
      const next = size ? chooseWrap(sorted, view!.width, view!.height, glued) : { bands: [], cap: Infinity };
      if (JSON.stringify(next) !== JSON.stringify(this.wrap)) {
        this.wrap = next;
        this.bandOf = new Map(next.bands.flatMap((band, i) => band.map((column) => [column, i] as const)));
        this.bandHeight = [];
      }
    }
    // a column new since the wrap was chosen joins the band of the column left of it
    let band = 0;
    for (const { column } of sorted) {
      if (column === glued) continue;
      const known = this.bandOf.get(column);
      if (known === undefined && this.bandOf.size > 0) this.bandOf.set(column, band);
      else band = known ?? 0;
    }
  }
}
