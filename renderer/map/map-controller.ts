import { select, zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { ObjectKind } from '../../native-bridge/model/snapshot-types';
import type { Translate } from '../i18n/strings';
import type { TrafficSummary } from '../observe/recent-traffic';
import type { Palette } from '../picture/palette';
import { drawMap, type ViewTransform } from './map-draw';
import { centre, type MapLayout, type MapTarget, type Point } from './map-geometry';
import { FAN_MIN, groupFrame, WHOLE_MACHINE_FAN_MIN, type MapGroups, type UnitKey } from './map-group';
import { HitIndex, selectionOf } from './map-hit';
import { MapLayoutState } from './map-layout';
import { SMALL } from './map-draw-kit';
import { READABLE_CELL_PX, fitTransform, readableView } from './map-viewport';

/** What one paint did, for the bench and the e2e test (a `map-paint` event on the canvas carries it). */
export interface MapPaint {
  seq: number;
  /** performance.now() when the frame reached the map (store update). */
  arrivedAt: number;
  /** performance.now() when the canvas held the frame's pixels. */
  paintedAt: number;
  /** Grouping and layout, ms (0 when only the view moved). */
  buildMs: number;
  drawMs: number;
}

export interface MapLook {
  palette: Palette;
  t: Translate;
  selection: string | null;
  matches: ReadonlySet<number>;
  hiddenKinds: ReadonlySet<ObjectKind>;
}

export interface MapCallbacks {
  /** The model changed (a new frame or a fan opened): the DOM mirror re-reads it. */
  onModel(groups: MapGroups, layout: MapLayout, frame: Frame): void;
  onHover(target: MapTarget | null, at: Point | null): void;
  onSelect(selection: string | null): void;
}

/**
 * The map's one frame loop and the only owner of its canvas's pixels. Frames
 * and view changes only mark it dirty; requestAnimationFrame then builds the
 * layout of the latest frame (frames that arrived in between are skipped)
 * and paints once.
 */
export class MapController {
  private frame: Frame | null = null;
  private frameDirty = false;
  private arrivedAt = 0;
  private raf = 0;
  private readonly layoutState = new MapLayoutState();
  private readonly expanded = new Set<UnitKey>();
  private readonly knownFans = new Set<UnitKey>();
  private groups: MapGroups | null = null;
  private layout: MapLayout | null = null;
  private hits: HitIndex | null = null;
  private transform: ViewTransform = { k: 1, x: 24, y: 24 };
  /** Until the user zooms or pans by hand, the view follows the map: re-fitted whenever its bounds change. */
  private following = true;
  /** The fan whose opening took the view from following the map: closing it gives the view back. */
  private fanView: UnitKey | null = null;
  private fittedBounds = '';
  /** The canvas size the latest layout wrapped its columns for: a resize lays the map out again. */
  private layoutFor = '';
  private hovered: string | null = null;
  private traffic: TrafficSummary | null = null;
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  private size = { width: 0, height: 0, dpr: 1 };
  private readonly resize: ResizeObserver | null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private look: MapLook,
    private readonly callbacks: MapCallbacks,
  ) {
    this.zoomBehavior = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.04, 4])
      .on('zoom', (event: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
        const { k, x, y } = event.transform;
        this.transform = { k, x, y };
        // A wheel or drag (not a transform set by the app): the user has taken the view.
        if (event.sourceEvent) {
          this.following = false;
          this.fanView = null;
        }
        // What the view shows, for tests: the zoom and the map's bounds on screen (CSS px from the canvas's corner).
        this.canvas.dataset.view = this.viewText();
        this.markView();
      });
    select(canvas).call(this.zoomBehavior).on('dblclick.zoom', null);
    select(canvas).call(this.zoomBehavior.transform, zoomIdentity.translate(this.transform.x, this.transform.y));
    canvas.addEventListener('mousemove', this.onMove);
    canvas.addEventListener('mouseleave', this.onLeave);
    canvas.addEventListener('click', this.onClick);
    this.resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => this.markView());
    this.resize?.observe(canvas);
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.resize?.disconnect();
    this.canvas.removeEventListener('mousemove', this.onMove);
    this.canvas.removeEventListener('mouseleave', this.onLeave);
    this.canvas.removeEventListener('click', this.onClick);
    select(this.canvas).on('.zoom', null);
  }

  setFrame(frame: Frame | null): void {
    if (frame === this.frame) return;
    this.frame = frame;
    this.frameDirty = true;
    this.arrivedAt = performance.now();
    this.schedule();
  }

  /** Traffic between frames (the observe store's window, summed): drawn on the next paint. */
  setTraffic(traffic: TrafficSummary | null): void {
    this.traffic = traffic;
    this.markView();
  }

  setLook(look: MapLook): void {
    this.look = look;
    this.markView();
  }

  /**
   * Opens a closed fan, closes an open one. An opened fan is brought on
   * screen with its cells readable (map-viewport readableView): fitting the
   * whole map would shrink 200 cells' PIDs below legibility on a 1280x720
   * projector. Closing the fan that took the view gives it back to the map.
   */
  toggleFan(key: UnitKey): void {
    const opening = !this.expanded.has(key);
    if (opening) this.expanded.add(key);
    else this.expanded.delete(key);
    this.rebuild();
    const rect = opening ? this.layout?.units.find((u) => u.unit.key === key) : undefined;
    const { width, height } = this.canvasSize();
    if (rect && width > 0) {
      this.following = false;
      this.fanView = key;
      this.setTransform(readableView(this.transform, rect, width, height, this.readableZoom()));
    } else if (!opening && this.fanView === key) {
      this.fanView = null;
      this.following = true;
    }
    this.schedule();
  }

  /** The zoom at which a fan cell's PID (SMALL at the palette's scale) reads at READABLE_CELL_PX on screen. */
  private readableZoom(): number {
    return READABLE_CELL_PX / (SMALL * this.look.palette.scale);
  }

  compact(): void {
    this.layoutState.compact();
    this.frameDirty = true;
    this.schedule();
  }

  /**
   * The Fit button: the columns wrap again to the canvas's shape (they are
   * otherwise kept while processes come and go), then the map is fitted.
   */
  refit(): void {
    this.layoutState.rewrap();
    this.rebuild();
    this.fit();
    this.schedule();
  }

  /** Fits the whole map to the canvas, zooming out or in (up to MAX_FIT_ZOOM: a small map fills the canvas). */
  fit(): void {
    this.following = true;
    this.fanView = null;
    const bounds = this.layout?.bounds;
    const { width, height } = this.canvasSize();
    const next = bounds ? fitTransform(bounds, width, height) : null;
    if (next) this.setTransform(next);
  }

  /** Brings a process into view at a readable zoom, opening its fan first. */
  reveal(pid: number): void {
    const fan = this.groups?.unitOf.get(pid);
    if (fan?.startsWith('fan:') && !this.expanded.has(fan)) {
      this.expanded.add(fan);
      this.rebuild();
    }
    const rect = this.layout?.processAt.get(pid);
    if (!rect) return;
    const { width, height } = this.canvasSize();
    this.following = false;
    this.fanView = null;
    const k = Math.max(this.transform.k, 1);
    const c = centre(rect);
    this.setTransform({ k, x: width / 2 - c.x * k, y: height / 2 - c.y * k });
    // Where it now is on screen (CSS px from the canvas's corner): a test clicks there.
    this.canvas.dataset.revealed = `${pid}@${Math.round(width / 2)},${Math.round(height / 2)}`;
  }

  private viewText(): string {
    const b = this.layout?.bounds;
    const { k, x, y } = this.transform;
    if (!b) return `${k.toFixed(3)}`;
    const r = (n: number) => Math.round(n);
    return `${k.toFixed(3)}@${r(b.x * k + x)},${r(b.y * k + y)},${r((b.x + b.w) * k + x)},${r((b.y + b.h) * k + y)}`;
  }

  private setTransform(t: ViewTransform): void {
    select(this.canvas).call(this.zoomBehavior.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
  }

  private canvasSize(): { width: number; height: number } {
    return { width: this.canvas.clientWidth, height: this.canvas.clientHeight };
  }

  private markView(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.raf || typeof requestAnimationFrame === 'undefined') return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      this.tick();
    });
  }

  private toWorld(event: MouseEvent): Point {
    const box = this.canvas.getBoundingClientRect();
    const { k, x, y } = this.transform;
    return { x: (event.clientX - box.left - x) / k, y: (event.clientY - box.top - y) / k };
  }

  private readonly onMove = (event: MouseEvent): void => {
    const target = this.hits?.at(this.toWorld(event)) ?? null;
    const id = target ? (target.type === 'fan' ? target.key : selectionOf(target)) : null;
    if (id !== this.hovered) {
      this.hovered = id;
      this.markView();
    }
    const box = this.canvas.getBoundingClientRect();
    this.callbacks.onHover(target, target ? { x: event.clientX - box.left, y: event.clientY - box.top } : null);
  };

  private readonly onLeave = (): void => {
    this.hovered = null;
    this.callbacks.onHover(null, null);
    this.markView();
  };

  private readonly onClick = (event: MouseEvent): void => {
    const target = this.hits?.at(this.toWorld(event)) ?? null;
    if (target?.type === 'fan') this.toggleFan(target.key);
    else this.callbacks.onSelect(target ? selectionOf(target) : null);
  };

  /** Model of the latest frame: clicks and search act on it right away (also between paints, and in jsdom). */
  rebuild(): void {
    const frame = this.frame;
    if (!frame) return;
    // the whole machine folds what repeats from 3 siblings up (map-group.ts)
    const fanMin = frame.observing && 'all' in frame.observing ? WHOLE_MACHINE_FAN_MIN : FAN_MIN;
    const groups = groupFrame(frame, this.expanded, this.knownFans, fanMin);
    for (const unit of groups.units) if (unit.kind === 'fan') this.knownFans.add(unit.key);
    this.groups = groups;
    const view = this.canvasSize();
    this.layoutFor = `${view.width}x${view.height}`;
    this.layout = this.layoutState.layout(groups, frame.processes, view);
    this.hits = new HitIndex(this.layout.hits);
    this.frameDirty = false;
    this.canvas.dataset.frameSeq = String(frame.seq);
    this.callbacks.onModel(groups, this.layout, frame);
  }

  /** One animation frame: rebuild when a frame (or a fan) changed, then paint. */
  tick(): void {
    const frame = this.frame;
    const started = performance.now();
    if (this.layout && this.layoutFor !== `${this.canvas.clientWidth}x${this.canvas.clientHeight}`) this.frameDirty = true;
    const built = this.frameDirty;
    if (built) this.rebuild();
    const buildMs = performance.now() - started;
    const bounds = this.layout?.bounds;
    const boundsKey = bounds ? `${bounds.x},${bounds.y},${bounds.w},${bounds.h}/${this.canvas.clientWidth}x${this.canvas.clientHeight}` : '';
    if (this.following && boundsKey !== this.fittedBounds) {
      this.fittedBounds = boundsKey;
      this.fit();
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx || !this.layout || !frame) return;
    const dpr = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (width !== this.size.width || height !== this.size.height || dpr !== this.size.dpr) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      this.size = { width, height, dpr };
    }
    const drawStart = performance.now();
    drawMap(ctx, {
      layout: this.layout,
      transform: this.transform,
      width,
      height,
      dpr,
      palette: this.look.palette,
      t: this.look.t,
      selection: this.look.selection,
      hovered: this.hovered,
      matches: this.look.matches,
      hiddenKinds: this.look.hiddenKinds,
      diagnoses: frame.diagnoses ?? [],
      traffic: frame.observing ? this.traffic : null,
    });
    const paintedAt = performance.now();
    this.canvas.dataset.paintedSeq = String(frame.seq);
    // The on-screen size of the map's small text (a fan cell's PID), for tests: legible from 11 px.
    this.canvas.dataset.smallTextPx = (SMALL * this.look.palette.scale * this.transform.k).toFixed(1);
    const paint: MapPaint = { seq: frame.seq, arrivedAt: built ? this.arrivedAt : paintedAt, paintedAt, buildMs: built ? buildMs : 0, drawMs: paintedAt - drawStart };
    this.canvas.dispatchEvent(new CustomEvent<MapPaint>('map-paint', { detail: paint }));
  }
}
