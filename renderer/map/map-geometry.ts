import type { Access, IpcObject, ProcessInfo } from '../../native-bridge/model/snapshot-types';
import type { FanUnit, MapUnit, UnitKey } from './map-group';

/** Sizes of the map's world (pixels at zoom 1). A projector at 1280x720 shows about three columns at zoom 1. */
export const PROC_W = 190;
export const PROC_H = 46;
export const FAN_W = 300;
/** Head, counts, what the members hold of each other's pipes, the state bar. */
export const FAN_H = 80;
export const OBJ_W = 130;
export const OBJ_H = 30;
export const OBJ_GAP = 6;
export const ROW_GAP = 18;
export const COL_GAP = 90;
/** Unit box, gap, object column. */
export const COL_W = PROC_W + 40 + OBJ_W + COL_GAP;
export const MEMBER_W = 64;
export const MEMBER_H = 34;
/** Members per row of an open fan: about twice as wide as tall, from 5 up to 20 a row. */
export function memberColumns(count: number): number {
  return Math.min(20, Math.max(5, Math.ceil(Math.sqrt(count * 2))));
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface PlacedMember extends Rect {
  process: ProcessInfo;
  /** The member's own objects (its pipe), drawn as a mark inside its cell. */
  objects: IpcObject[];
}

export interface PlacedUnit extends Rect {
  unit: MapUnit;
  /** Members of an expanded fan, in a grid under its header. */
  members: PlacedMember[];
}

export interface PlacedObject extends Rect {
  object: IpcObject;
  /** Unit it sits beside; null for objects nobody holds (column left of the roots). */
  home: UnitKey | null;
  /** A socket held only outside the map: the id of its peer, which it sits under (map-labels peerHeldOutside). */
  outsidePeer: string | null;
}

export interface MapEdge {
  from: Point;
  to: Point;
  /** Process pid, or the fan's parent pid for an edge summarising a fan. */
  pid: number;
  objectId: string | null;
  /** Unit key the edge leaves from. */
  unit: UnitKey;
  access: Access;
  /** The holder is asleep in a call on this object (a blocked edge: drawn loud). */
  blocked: boolean;
  /** Descriptors it stands for (a parent's fds on a fan's pipes), 1 for a plain edge. */
  count: number;
  /** Between two boxes of one column: the curve bows out this far to the right instead of crossing them. */
  bulge?: number;
}

/** What a point on the map is: hover and click resolve to one of these. */
export type MapTarget =
  | { type: 'process'; pid: number }
  | { type: 'fan'; key: UnitKey }
  | { type: 'object'; id: string };

export interface HitBox extends Rect {
  target: MapTarget;
}

export interface MapLayout {
  units: PlacedUnit[];
  objects: PlacedObject[];
  edges: MapEdge[];
  /** Parent to child, drawn faint: the process tree behind the descriptors. */
  links: { from: Point; to: Point }[];
  /** Where gone units were: kept empty so nothing else moves. */
  holes: Rect[];
  /** Everything drawn, for "fit to view". */
  bounds: Rect;
  /** Hover and click boxes, smallest last (a member wins over its fan). */
  hits: HitBox[];
  /** Position of every process (its box, or its cell in an expanded fan, or its collapsed fan's box). */
  processAt: Map<number, Rect>;
  objectAt: Map<string, Rect>;
}

export function unitSize(unit: MapUnit): { w: number; h: number } {
  if (unit.kind === 'process') return { w: PROC_W, h: PROC_H };
  if (!unit.expanded) return { w: FAN_W, h: FAN_H };
  const cols = memberColumns(unit.members.length);
  return { w: Math.max(FAN_W, cols * MEMBER_W), h: FAN_H + Math.ceil(unit.members.length / cols) * MEMBER_H + 8 };
}

export function placeMembers(fan: FanUnit, x: number, y: number): PlacedMember[] {
  const cols = memberColumns(fan.members.length);
  return fan.members.map((process, i) => ({
    process,
    objects: fan.memberObjects.get(process.pid) ?? [],
    x: x + (i % cols) * MEMBER_W,
    y: y + FAN_H + 4 + Math.floor(i / cols) * MEMBER_H,
    w: MEMBER_W - 4,
    h: MEMBER_H - 4,
  }));
}

export function contains(r: Rect, p: Point): boolean {
  return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
}

export function centre(r: Rect): Point {
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
}
