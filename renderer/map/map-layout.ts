import type { IpcObject, ProcessInfo } from '../../native-bridge/model/snapshot-types';
import {
  COL_GAP,
  COL_W,
  FAN_H,
  OBJ_GAP,
  OBJ_H,
  OBJ_W,
  PROC_W,
  ROW_GAP,
  placeMembers,
  unitSize,
  type HitBox,
  type MapLayout,
  type PlacedObject,
  type PlacedUnit,
  type Rect,
} from './map-geometry';
import type { MapGroups, MapUnit, UnitKey } from './map-group';
import { layoutEdges } from './map-edges';
import { peerHeldOutside } from './map-labels';
import type { ColumnBox } from './map-wrap';
import { WrapState, type MapView } from './map-wrap-state';

/**
 * Where units go, kept from frame to frame. Columns are depths in the process
 * tree (roots left, children right); inside a column each unit keeps the slot
 * it got when first seen. A unit that goes leaves a hole of its height; a new
 * unit of that column takes the first hole it fits in, else goes below. Holes
 * close only when the user asks (compact()), so on a busy machine nothing on
 * screen moves because something else exited.
 * A slot's height only grows (a process gaining an object may push the slots
 * under it down; losing one never pulls them up).
 * Columns wrap to take the canvas's shape (map-wrap.ts: a tall column
 * continues beside itself, runs of columns form bands one under the other),
 * chosen when the canvas's size changes, on compact() and on rewrap() (the
 * Fit button), and kept otherwise (map-wrap-state.ts).
 */
/** Column of objects nobody holds (an orphaned System V queue): left of the roots. */
const UNHELD_COLUMN = -1;
/** Width the unheld column takes left of column 0: its objects, and the gap to the roots. */
const UNHELD_W = COL_W - PROC_W - 40;
interface Slot {
  column: number;
  order: number;
  height: number;
  /** The unit was not in the latest frame: a hole. */
  gone: boolean;
}

function depthOf(pid: number, byPid: Map<number, ProcessInfo>, memo: Map<number, number>): number {
  const known = memo.get(pid);
  if (known !== undefined) return known;
  const chain: number[] = [];
  let current = byPid.get(pid);
  let base = 0;
  // Walk up while the parent is observed; 64 hops is deeper than any real tree (and stops a cycle from a reused pid).
  while (current && chain.length < 64) {
    const cached = memo.get(current.pid);
    if (cached !== undefined) {
      base = cached;
      break;
    }
    chain.push(current.pid);
    const parent = byPid.get(current.ppid);
    if (!parent || parent.pid === current.pid) {
      base = -1;
      break;
    }
    current = parent;
  }
  // chain[last] is the root (depth 0) or sits under a cached ancestor of depth `base`.
  for (let i = chain.length - 1, d = base + 1; i >= 0; i -= 1, d += 1) memo.set(chain[i]!, d);
  return memo.get(pid) ?? 0;
}

function unitPid(unit: MapUnit): number {
  return unit.kind === 'process' ? unit.process.pid : unit.ppid;
}

/** The unit an object sits beside: its reader with the lowest pid, else its lowest holder, else an attacher. */
function homeOf(object: IpcObject, unitOf: Map<number, UnitKey>): UnitKey | null {
  const holders = [...object.holders].sort((a, b) => a.pid - b.pid);
  const pid = (holders.find((h) => h.access !== 'w') ?? holders[0])?.pid ?? (object.kind === 'shm' ? object.attached[0] : undefined);
  return pid === undefined ? null : (unitOf.get(pid) ?? null);
}

export class MapLayoutState {
  private slots = new Map<UnitKey, Slot>();
  /** Keys of slots whose unit is gone (holes), for a new unit looking for a place. */
  private gone = new Set<UnitKey>();
  private nextOrder = new Map<number, number>();
  /** Object order beside its home, kept like unit slots. */
  private objectOrder = new Map<string, number>();
  private nextObjectOrder = 0;
  /** Width of each column: the widest unit with its objects seen there; it only grows (until compact()). */
  private columnWidth = new Map<number, number>();
  /** How the columns wrap to the canvas's shape (map-wrap-state.ts). */
  private readonly wrap = new WrapState();

  /** Drops every hole at once (the "close gaps" button): units below move up; the bands are chosen again. */
  compact(): void {
    for (const key of this.gone) this.slots.delete(key);
    this.gone.clear();
    this.columnWidth.clear();
    this.renumber();
    this.rewrap();
  }

  /** The next layout chooses its wrap again for the canvas it is given (Fit asked by the user). */
  rewrap(): void {
    this.wrap.rewrap();
  }

  private renumber(): void {
    const byColumn = new Map<number, [UnitKey, Slot][]>();
    for (const entry of this.slots) {
      const list = byColumn.get(entry[1].column) ?? [];
      list.push(entry);
      byColumn.set(entry[1].column, list);
    }
    this.nextOrder.clear();
    for (const [column, list] of byColumn) {
      list.sort((a, b) => a[1].order - b[1].order).forEach(([, slot], i) => (slot.order = i));
      this.nextOrder.set(column, list.length);
    }
  }

  /** A hole of `column` at least `height` tall, taken over by `key` (its slot, order and height kept). */
  private takeHole(key: UnitKey, column: number, height: number): boolean {
    let best: [UnitKey, Slot] | null = null;
    for (const hole of this.gone) {
      const slot = this.slots.get(hole)!;
      if (slot.column === column && slot.height >= height && (!best || slot.order < best[1].order)) best = [hole, slot];
    }
    if (!best) return false;
    this.gone.delete(best[0]);
    this.slots.delete(best[0]);
    best[1].gone = false;
    this.slots.set(key, best[1]);
    return true;
  }

  layout(groups: MapGroups, processes: ProcessInfo[], view?: MapView): MapLayout {
    const byPid = new Map(processes.map((p) => [p.pid, p]));
    const memo = new Map<number, number>();
    const present = new Set<UnitKey>();

    // Home objects of each unit, in their kept order. A socket held only outside the view sits right under
    // its peer (the engine's end of a lesson process's channel beside that process's end), not among the unheld.
    const homeObjects = new Map<UnitKey | null, IpcObject[]>();
    const homeById = new Map<string, UnitKey | null>();
    for (const o of groups.objects) {
      homeById.set(o.id, homeOf(o, groups.unitOf));
      if (!this.objectOrder.has(o.id)) this.objectOrder.set(o.id, this.nextObjectOrder++);
    }
    const sortKey = new Map<string, number>();
    for (const o of groups.objects) {
      const peer = peerHeldOutside(o, groups.unitOf);
      const home = homeById.get(o.id) ?? (peer ? (homeById.get(peer) ?? groups.objectFan.get(peer) ?? null) : null);
      sortKey.set(o.id, peer && home !== null && this.objectOrder.has(peer) ? this.objectOrder.get(peer)! + 0.5 : this.objectOrder.get(o.id)!);
      const list = homeObjects.get(home) ?? [];
      list.push(o);
      homeObjects.set(home, list);
    }
    for (const list of homeObjects.values()) list.sort((a, b) => sortKey.get(a.id)! - sortKey.get(b.id)!);

    const blockHeight = (unit: MapUnit): number => {
      const objects = homeObjects.get(unit.key)?.length ?? 0;
      return Math.max(unitSize(unit).h, objects * (OBJ_H + OBJ_GAP)) + ROW_GAP;
    };

    // Units gone since the last frame leave holes first, so a unit new in this frame may take one at once.
    for (const unit of groups.units) present.add(unit.key);
    for (const [key, slot] of this.slots) {
      if (present.has(key) || slot.gone) continue;
      slot.gone = true;
      this.gone.add(key);
    }
    for (const unit of groups.units) {
      const height = blockHeight(unit);
      const width = unitSize(unit).w + (homeObjects.get(unit.key)?.length ? 40 + OBJ_W : 0) + COL_GAP;
      const slot = this.slots.get(unit.key);
      if (slot) {
        slot.gone = false;
        this.gone.delete(unit.key);
        // An expanded fan collapsing gives its room back; otherwise a slot only grows.
        slot.height = unit.kind === 'fan' ? height : Math.max(slot.height, height);
        this.columnWidth.set(slot.column, Math.max(this.columnWidth.get(slot.column) ?? COL_W, width));
        continue;
      }
      const depth = depthOf(unitPid(unit), byPid, memo) + (unit.kind === 'fan' ? 1 : 0);
      this.columnWidth.set(depth, Math.max(this.columnWidth.get(depth) ?? COL_W, width));
      if (this.takeHole(unit.key, depth, height)) continue;
      const order = this.nextOrder.get(depth) ?? 0;
      this.nextOrder.set(depth, order + 1);
      this.slots.set(unit.key, { column: depth, order, height, gone: false });
    }
    const objectIds = new Set(groups.objects.map((o) => o.id));
    for (const id of this.objectOrder.keys()) if (!objectIds.has(id)) this.objectOrder.delete(id);

    // Slots of each column in order (holes included), and the unheld objects as a column of their own: where each
    // goes once the columns wrap to the canvas's shape.
    const columns = new Map<number, [UnitKey, Slot][]>();
    for (const entry of this.slots) {
      const list = columns.get(entry[1].column) ?? [];
      list.push(entry);
      columns.set(entry[1].column, list);
    }
    for (const list of columns.values()) list.sort((a, b) => a[1].order - b[1].order);
    const unheld = homeObjects.get(null) ?? [];
    const boxes: ColumnBox[] = [...columns].map(([column, list]) => ({ column, width: this.columnWidth.get(column) ?? COL_W, slots: list.map(([, slot]) => slot.height) }));
    if (unheld.length) boxes.push({ column: UNHELD_COLUMN, width: UNHELD_W, slots: unheld.map(() => OBJ_H + OBJ_GAP) });
    // each slot keeps its piece of a cut column by its own identity (a new unit taking a hole takes its slot)
    const ids = new Map<number, unknown[]>([...columns].map(([column, list]) => [column, list.map(([, slot]) => slot)]));
    const placed = this.wrap.place(boxes, view, UNHELD_COLUMN, ids);
    const at = new Map<UnitKey, { x: number; y: number }>();
    const holes: Rect[] = [];
    for (const [column, list] of columns) {
      list.forEach(([key, slot], i) => {
        const corner = placed.get(column)![i]!;
        at.set(key, corner);
        if (slot.gone) holes.push({ ...corner, w: PROC_W, h: slot.height - ROW_GAP });
      });
    }

    const units: PlacedUnit[] = [];
    const objects: PlacedObject[] = [];
    const processAt = new Map<number, Rect>();
    const objectAt = new Map<string, Rect>();
    const unitAt = new Map<UnitKey, Rect>();
    const hits: HitBox[] = [];
    for (const unit of groups.units) {
      const { x, y } = at.get(unit.key)!;
      const { w, h } = unitSize(unit);
      const members = unit.kind === 'fan' && unit.expanded ? placeMembers(unit, x, y) : [];
      const placed: PlacedUnit = { unit, x, y, w, h, members };
      units.push(placed);
      unitAt.set(unit.key, placed);
      if (unit.kind === 'process') {
        processAt.set(unit.process.pid, placed);
        hits.push({ x, y, w, h, target: { type: 'process', pid: unit.process.pid } });
      } else {
        hits.push({ x, y, w, h: members.length ? FAN_H : h, target: { type: 'fan', key: unit.key } });
        for (const m of unit.members) processAt.set(m.pid, { x, y, w, h: FAN_H });
        for (const m of members) {
          processAt.set(m.process.pid, m);
          hits.push({ x: m.x, y: m.y, w: m.w, h: m.h, target: { type: 'process', pid: m.process.pid } });
        }
      }
      (homeObjects.get(unit.key) ?? []).forEach((object, i) => {
        const rect = { x: x + w + 40, y: y + i * (OBJ_H + OBJ_GAP), w: OBJ_W, h: OBJ_H };
        objects.push({ object, home: unit.key, outsidePeer: peerHeldOutside(object, groups.unitOf), ...rect });
      });
    }
    unheld.forEach((object, i) => {
      const rect = { ...placed.get(UNHELD_COLUMN)![i]!, w: OBJ_W, h: OBJ_H };
      objects.push({ object, home: null, outsidePeer: null, ...rect });
    });
    for (const o of objects) {
      objectAt.set(o.object.id, o);
      hits.push({ x: o.x, y: o.y, w: o.w, h: o.h, target: { type: 'object', id: o.object.id } });
    }
    const links = units.flatMap((placed) => {
      if (placed.unit.kind !== 'process') return [];
      const parentKey = groups.unitOf.get(placed.unit.process.ppid);
      const parent = parentKey ? unitAt.get(parentKey) : undefined;
      if (!parent || parentKey === placed.unit.key) return [];
      return [{ from: { x: parent.x + parent.w / 2, y: parent.y + Math.min(parent.h, FAN_H) }, to: { x: placed.x, y: placed.y + placed.h / 2 } }];
    });
    return { units, objects, edges: layoutEdges(units, objects, groups, byPid, unitAt), links, holes, bounds: boundsOf([...units, ...objects, ...holes]), hits, processAt, objectAt };
  }
}

function boundsOf(rects: Rect[]): Rect {
  if (rects.length === 0) return { x: 0, y: 0, w: 0, h: 0 };
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.w);
    y1 = Math.max(y1, r.y + r.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
