import { scalePoint } from 'd3';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { FdEntry, Holder, IpcObject, MsgQueueObject, ProcessInfo, UnixSocketObject } from '../../native-bridge/model/snapshot-types';
import { lessonObjects } from '../format/kernel-words';
import { crossesAny, glyphBox, gutterLanes, gutterRoute, overPairRoute, pointOnCubic, type Box } from './edge-route';
import { placeFdLabels, type LabelPlace } from './label-place';
import { pairSides } from './pair-sides';

/**
 * Where things go in the picture. Positions come from stable keys (the
 * lesson's role order, the lesson's object order, pids sorted), never from
 * a simulation, so nothing jumps when a new frame arrives.
 */
export const VIEW_WIDTH = 1080;
/** Smallest picture height; more rows of processes or objects make it taller (never between frames of one lesson run). */
export const VIEW_HEIGHT = 410;
export const NODE_WIDTH = 256;
export const NODE_HEIGHT = 118;
export const RING_RADIUS = 120;
/** Room under a node for its blocked badge. */
const BADGE_ROOM = 70;
const ROW_HEIGHT = NODE_HEIGHT + BADGE_ROOM + 40;
const OBJECT_HEIGHT = 2 * RING_RADIUS + 80;
/** A TCP socket's glyph (a connection as two boxes side by side, or a listener) needs less height than a ring. */
const TCP_OBJECT_HEIGHT = 200;
/** Half the width of a TCP connection glyph (tcp-glyph.tsx: two 210-wide ends 48 apart): edges end at its outer sides. */
export const TCP_PAIR_HALF_WIDTH = 234;

/** Height of the column an object takes. Every kind but TCP keeps the ring's room, so their pictures are as before. */
function objectRoom(object: IpcObject): number {
  return object.kind === 'tcp' ? TCP_OBJECT_HEIGHT : OBJECT_HEIGHT;
}

/** Centres of objects stacked in the column, each in its own room, the spare height shared out as equal gaps. */
function stackedCentres(rooms: number[], height: number): number[] {
  const used = rooms.reduce((a, b) => a + b, 0);
  const gap = Math.max(0, height - 40 - used) / rooms.length;
  let top = 20 + gap / 2;
  return rooms.map((room) => {
    const centre = top + room / 2;
    top += room + gap;
    return centre;
  });
}
/** One line of the "show all" descriptor list (process-node.tsx draws 19 px at scale 1). */
const FD_ROW = 21;
/** Descriptors listed under a node with "show all"; the rest are counted, and listed in the details panel. */
export const MAX_FD_LINES = 8;
const MARGIN_X = 22;
/** Widest a blocked badge may grow from its node toward the middle without reaching a ring. */
export const BADGE_MAX_WIDTH = VIEW_WIDTH / 2 - RING_RADIUS - 24 - MARGIN_X;
/** Beyond these the picture would be unreadable; the details panel and log still list everything. */
export const MAX_PROCESSES = 12;
export const MAX_OBJECTS = 6;

export interface PlacedProcess {
  pid: number;
  role: string | null;
  /** null when the lesson names this role but the process has exited (or not been forked yet). */
  process: ProcessInfo | null;
  x: number;
  y: number;
  /** Side the process sits on: edges leave from the inner side of the node. */
  side: 'left' | 'right';
  /** With "show all": descriptors on nothing the picture shows (stdio, control socket), listed under the node; empty otherwise. */
  otherFds: FdEntry[];
}

export interface PlacedObject {
  object: IpcObject;
  x: number;
  y: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A cubic Bézier from a process's fd to an object. */
export interface EdgeGeometry {
  id: string;
  pid: number;
  objectId: string;
  holder: Holder;
  from: Point;
  c1: Point;
  c2: Point;
  to: Point;
  /** Centre of the "fd 4 w" label, on the curve where it covers no node, glyph or other label, and whether it stands on end (label-place.ts). */
  label: LabelPlace;
}

export interface PictureLayout {
  processes: PlacedProcess[];
  objects: PlacedObject[];
  edges: EdgeGeometry[];
  /** Ids of the objects drawn (`objects`), for lookups. */
  shownIds: Set<string>;
  /** Height of the viewBox; the width is always VIEW_WIDTH. */
  height: number;
  /** Processes and objects left out to keep the picture readable. */
  hidden: { processes: number; objects: number };
}

/** The point at `t` (0..1) along an edge's cubic. */
export function pointOnEdge(edge: EdgeGeometry, t: number): Point {
  return pointOnCubic(edge, t);
}

export function edgePath(edge: EdgeGeometry): string {
  const { from, c1, c2, to } = edge;
  return `M${from.x},${from.y} C${c1.x},${c1.y} ${c2.x},${c2.y} ${to.x},${to.y}`;
}

interface Slot {
  pid: number;
  role: string | null;
}

/* a message queue has no descriptor holders either: its users are the processes asleep on it and its last sender and receiver */
const msgUsers = (q: MsgQueueObject): number[] => [...q.waitingSenders, ...q.waitingReceivers, q.lastSender, q.lastReceiver].filter((pid) => pid > 0);

/** Lesson roles in the lesson's order; without a lesson, every process that holds a shown object. */
function processSlots(frame: Frame, shown: IpcObject[], showAll: boolean): Slot[] {
  const slots: Slot[] = [];
  const seen = new Set<number>();
  const roles = frame.lesson?.roles ?? {};
  for (const [role, pid] of Object.entries(roles)) {
    if (seen.has(pid)) continue;
    seen.add(pid);
    slots.push({ pid, role });
  }
  if (!frame.lesson || showAll) {
    // a shared-memory segment has no descriptor holders: the processes that attach it (their maps) are its users
    const holders = new Set(shown.flatMap((o) => [...o.holders.map((h) => h.pid), ...(o.kind === 'shm' ? o.attached : []), ...(o.kind === 'msg' ? msgUsers(o) : [])]));
    const extra = frame.processes
      .filter((p) => !seen.has(p.pid) && (showAll || holders.has(p.pid)))
      .map((p) => p.pid)
      .sort((a, b) => a - b);
    for (const pid of extra) slots.push({ pid, role: null });
  }
  return slots;
}

/**
 * The objects a lesson shows: those it made, then any a lesson process is
 * asleep on without holding it yet (a FIFO its open() waits for, as the
 * kernel reports it); null without a lesson (every object).
 */
function lessonObjectIds(frame: Frame, byPid: Map<number, ProcessInfo>): string[] | null {
  const lesson = frame.lesson;
  if (!lesson) return null;
  const ids = [...lesson.objects];
  for (const pid of Object.values(lesson.roles)) {
    const waited = byPid.get(pid)?.blocked?.object;
    // the other end of a pair the lesson shows is drawn by that pair's glyph already
    const paired = frame.objects.some((o) => ids.includes(o.id) && 'peer' in o && o.peer === waited);
    if (waited && !ids.includes(waited) && !paired) ids.push(waited);
  }
  // a connected socket whose peer the lesson made earlier is that pair's other end: its glyph draws both (accept4 after connect)
  const pairEnd = pairedEnd(frame.objects);
  return ids.filter((id, i) => !ids.slice(0, i).includes(pairEnd.get(id) ?? ''));
}

/** Unix sockets joined to another (not a client still waiting in a listener's queue, whose `peer` is the listener): id -> the other end's id. */
function pairedEnd(objects: readonly IpcObject[]): Map<string, string> {
  const byId = new Map(objects.map((o) => [o.id, o]));
  const ends = new Map<string, string>();
  for (const o of objects) {
    const other = o.kind === 'unix' && o.peer && o.state !== 'LISTEN' ? byId.get(o.peer) : undefined;
    if (o.kind === 'unix' && other?.kind === 'unix' && other.state !== 'LISTEN') ends.set(o.id, other.id);
  }
  return ends;
}

/** A client still waiting in a listener's queue: its peer is the listener (the probe names it so until accept(); object-glyph.tsx tells it by the peer's state too). */
function queuedIn(o: IpcObject, listeners: ReadonlySet<string>): string | null {
  return (o.kind === 'unix' || o.kind === 'tcp') && o.state !== 'LISTEN' && o.peer !== null && listeners.has(o.peer) ? o.peer : null;
}

/**
 * Ends another object's glyph draws take no place of their own; `folded`
 * maps each to the object whose glyph draws it (it is on screen, not gone):
 * - a TCP connection's later end (tcp-glyph.tsx draws both ends);
 * - without a lesson, a Unix pair's later end (socket-pair-glyph.tsx draws
 *   both; a lesson's list is folded by lessonObjectIds already);
 * - without a lesson, a client waiting in a listener's queue: the listener
 *   fills a place of its queue for it and names its holder, whose edge goes
 *   to the listener (a lesson draws its client alone, the missing end dashed).
 */
function foldEnds(objects: IpcObject[], withLesson: boolean): { kept: IpcObject[]; folded: Map<string, string> } {
  const drawn = new Set<string>();
  const folded = new Map<string, string>();
  const listeners = new Set(withLesson ? [] : objects.filter((o) => (o.kind === 'unix' || o.kind === 'tcp') && o.state === 'LISTEN').map((o) => o.id));
  const pairEnd = withLesson ? new Map<string, string>() : pairedEnd(objects);
  const kept = objects.filter((o) => {
    const listener = queuedIn(o, listeners);
    if (listener) {
      folded.set(o.id, listener);
      return false;
    }
    const connection = o.kind === 'tcp' && o.state !== 'LISTEN';
    /* a client still in a listener's queue has the listener as its peer: in a lesson it keeps its own place */
    const other = connection ? o.peer : (pairEnd.get(o.id) ?? null);
    if (other !== null && drawn.has(other)) {
      folded.set(o.id, other);
      return false;
    }
    if (connection || pairEnd.has(o.id)) drawn.add(o.id);
    return true;
  });
  return { kept, folded };
}

/** The objects the picture would draw (each pair and connection once, queued clients in their listener), before its limit of MAX_OBJECTS. */
function drawableObjects(frame: Frame, byPid: Map<number, ProcessInfo>): { kept: IpcObject[]; folded: Map<string, string> } {
  return foldEnds(lessonObjects(frame.objects, lessonObjectIds(frame, byPid)), frame.lesson != null);
}

/** How many objects the picture would draw for `frame`, without its limit: the map takes over past MAX_OBJECTS (map-selectors.ts). */
export function pictureObjectCount(frame: Frame): number {
  return drawableObjects(frame, new Map(frame.processes.map((p) => [p.pid, p]))).kept.length;
}

/**
 * What a node covers: its box, the blocked badge under it (as wide as it may
 * grow toward the middle, process-node.tsx) and its listed descriptors.
 */
export function nodeBoxes(processes: PlacedProcess[], shownIds: ReadonlySet<string>, scale: number): Box[] {
  return processes.flatMap((p) => {
    const left = p.x - NODE_WIDTH / 2;
    const boxes: Box[] = [{ x: left, y: p.y - NODE_HEIGHT / 2, width: NODE_WIDTH, height: NODE_HEIGHT }];
    const blocked = p.process?.blocked ?? null;
    if (blocked) {
      const width = blocked.object && shownIds.has(blocked.object) ? BADGE_MAX_WIDTH : NODE_WIDTH;
      boxes.push({ x: p.side === 'left' ? left : left + NODE_WIDTH - width, y: p.y + NODE_HEIGHT / 2 + 12, width, height: 52 * scale });
    }
    if (p.otherFds.length > 0) {
      const top = p.y + NODE_HEIGHT / 2 + (blocked ? 86 : 24) * scale - 14 * scale;
      boxes.push({ x: left, y: top, width: NODE_WIDTH, height: (Math.min(p.otherFds.length, MAX_FD_LINES) + 1) * FD_ROW * scale });
    }
    return boxes;
  });
}

/** `scale`: the palette's type scale (lecture mode draws labels larger); labels are placed for it. */
export function layoutPicture(frame: Frame, showAll: boolean, scale = 1): PictureLayout {
  const byPid = new Map(frame.processes.map((p) => [p.pid, p]));
  const { kept: allShown, folded } = drawableObjects(frame, byPid);
  const shown = allShown.slice(0, MAX_OBJECTS);
  // ends drawn by a shown glyph: their holders are placed too (a pair's dashed holder lines, a queued client's edge to its listener)
  const drawnIds = new Set(shown.map((o) => o.id));
  const foldedShown = frame.objects.filter((o) => drawnIds.has(folded.get(o.id) ?? ''));
  const allSlots = processSlots(frame, [...shown, ...foldedShown], showAll);
  const slots = allSlots.slice(0, MAX_PROCESSES);

  // Two columns of processes around a column of objects: writers usually come first (parent), readers second.
  const rows = Math.max(1, Math.ceil(slots.length / 2));
  // "Show all" lists each process's other descriptors under it: make room for the longest list.
  // a pair's glyph draws its other end too; a TCP connection's folded end is on screen
  const pairEnd = pairedEnd(frame.objects);
  const shownIds = new Set([...shown.flatMap((o) => [o.id, ...(pairEnd.has(o.id) ? [pairEnd.get(o.id)!] : [])]), ...folded.keys()]);
  const otherFds = (pid: number): FdEntry[] => (showAll ? (byPid.get(pid)?.fds ?? []).filter((fd) => !shownIds.has(fd.object)) : []);
  const others = new Map(slots.map((slot) => [slot.pid, otherFds(slot.pid)]));
  // descriptors the wire did not send (native-bridge/model/wire-frame.ts) take the "+N more" line
  const notSent = (pid: number): number => {
    const p = byPid.get(pid);
    return p ? (p.fdsTotal ?? p.fds.length) - p.fds.length : 0;
  };
  const fdRoom = Math.min(MAX_FD_LINES + 1, Math.max(0, ...[...others].map(([pid, fds]) => (fds.length > 0 ? fds.length + Math.min(1, notSent(pid)) : 0)))) * FD_ROW;
  const rowHeight = ROW_HEIGHT + fdRoom;
  const rooms = shown.map(objectRoom);
  const stacked = shown.length > 1 && rooms.some((room) => room !== OBJECT_HEIGHT);
  // picture.tsx writes a line per lesson object the kernel no longer reports at the bottom of the middle column: stacked objects leave it room
  const goneLines = stacked ? (frame.lesson?.objects ?? []).filter((id) => !frame.objects.some((o) => o.id === id)).length : 0;
  const goneRoom = goneLines > 0 ? goneLines * 30 + 30 : 0;
  const height = Math.max(VIEW_HEIGHT + fdRoom, rows * rowHeight + 40, rooms.reduce((a, b) => a + b, 0) + 40 + goneRoom);
  // Nodes sit a little above the middle: their blocked badge hangs below them.
  const rowY = scalePoint<number>()
    .domain([...Array(rows).keys()])
    .range([NODE_HEIGHT / 2 + 20, height - NODE_HEIGHT / 2 - BADGE_ROOM - fdRoom - 20])
    .align(0.5)
    .padding(rows === 1 ? 1 : 0.3);
  const processes: PlacedProcess[] = slots.map((slot, i) => {
    const side = i % 2 === 0 ? 'left' : 'right';
    return {
      pid: slot.pid,
      role: slot.role,
      process: byPid.get(slot.pid) ?? null,
      x: side === 'left' ? MARGIN_X + NODE_WIDTH / 2 : VIEW_WIDTH - MARGIN_X - NODE_WIDTH / 2,
      y: (rowY(Math.floor(i / 2)) ?? height / 2) - (rows === 1 ? 20 : 0),
      side,
      otherFds: others.get(slot.pid) ?? [],
    };
  });

  const objectY = scalePoint<string>()
    .domain(shown.map((o) => o.id))
    .range(shown.length === 1 ? rowY.range() : [RING_RADIUS + 30, height - RING_RADIUS - 50])
    // several objects use the whole column: a ring and its labels need more than 2 radii between centres
    .padding(shown.length === 1 ? 1 : 0);
  const centres = stacked ? stackedCentres(rooms, height - goneRoom) : null;
  const objects: PlacedObject[] = shown.map((object, i) => ({
    object,
    x: VIEW_WIDTH / 2,
    y: centres ? centres[i]! : (objectY(object.id) ?? height / 2) - (shown.length === 1 ? 20 : 0),
  }));

  const hidden = { processes: allSlots.length - slots.length, objects: allShown.length - shown.length };
  // a client waiting in a listener's queue: its holder's edge goes to the listener that draws it
  const waitingIn = foldedShown.flatMap((object) => {
    const at = objects.find((p) => p.object.id === folded.get(object.id));
    return at && 'state' in at.object && at.object.state === 'LISTEN' ? [{ object, x: at.x, y: at.y, drawnBy: at.object }] : [];
  });
  const curves = layoutEdges(processes, [...objects.map((o) => ({ ...o, pairSide: pairEndSide(o.object, o.object, frame.objects, processes) })), ...waitingIn, ...farPairEnds(objects, frame.objects, drawnIds, processes)]);
  const obstacles = [...objects.map((o) => glyphBox(o.object, o.x, o.y)), ...nodeBoxes(processes, shownIds, scale)];
  const labels = placeFdLabels(curves, obstacles, scale, { width: VIEW_WIDTH, height });
  const edges = curves.map((curve, i) => ({ ...curve, label: labels[i]! }));
  return { processes, objects, edges, shownIds, height, hidden };
}

const joinedUnix = (o: IpcObject | undefined): o is UnixSocketObject => o?.kind === 'unix' && o.state !== 'LISTEN' && o.peer !== null;

/** Which box of the pair glyph drawn for `glyph` shows `end` (socket-pair-glyph.tsx puts them by pairSides); undefined when `glyph` is no joined pair. */
function pairEndSide(end: IpcObject, glyph: IpcObject, frameObjects: readonly IpcObject[], placed: PlacedProcess[]): 'left' | 'right' | undefined {
  if (!joinedUnix(glyph)) return undefined;
  const peer = frameObjects.find((o) => o.id === glyph.peer);
  if (!joinedUnix(peer)) return undefined;
  const [left] = pairSides(glyph, peer, placed);
  return left?.id === end.id ? 'left' : 'right';
}

/**
 * A pair's other end, for the holders on the far side from its box (one
 * process holding both ends): their edges go over the near end to it, each
 * with its label. Holders on its own side keep the glyph's short line.
 */
function farPairEnds(objects: PlacedObject[], frameObjects: readonly IpcObject[], drawnIds: ReadonlySet<string>, placed: PlacedProcess[]) {
  return objects.flatMap(({ object, x, y }) => {
    const peer = joinedUnix(object) ? frameObjects.find((o) => o.id === object.peer) : undefined;
    if (!joinedUnix(peer) || drawnIds.has(peer.id)) return [];
    const pairSide = pairEndSide(peer, object, frameObjects, placed)!;
    const holders = peer.holders.filter((h) => placed.some((p) => p.pid === h.pid && p.process && p.side !== pairSide));
    return holders.length > 0 ? [{ object: { ...peer, holders }, x, y, drawnBy: object, pairSide }] : [];
  });
}

/** `drawnBy`: the glyph an object is drawn in when not its own (a queued client in its listener, a pair's other end); `pairSide`: which of a pair glyph's boxes shows it. */
function layoutEdges(processes: PlacedProcess[], objects: (PlacedObject & { drawnBy?: IpcObject; pairSide?: 'left' | 'right' })[]): Omit<EdgeGeometry, 'label'>[] {
  const placed = new Map(processes.filter((p) => p.process).map((p) => [p.pid, p]));
  const edges: Omit<EdgeGeometry, 'label'>[] = [];
  const rerouted: { index: number; from: Point; toY: number; sideX: number; dir: 1 | -1; others: Box[] }[] = [];
  // Glyphs an edge must not cross: every drawn one (a queued client is drawn in its listener's).
  const glyphs = objects.filter((o) => !o.drawnBy).map((o) => ({ id: o.object.id, box: glyphBox(o.object, o.x, o.y) }));
  // Several fds of one process on one glyph fan out so their labels never overlap (a listener draws its queued clients: their edges end at it too).
  const glyphOf = (o: { object: IpcObject; drawnBy?: IpcObject }) => (o.drawnBy ?? o.object).id;
  const atGlyph = (id: string, pid: number): Holder[] =>
    objects
      .filter((o) => glyphOf(o) === id)
      .flatMap((o) => o.object.holders.filter((h) => h.pid === pid))
      .sort((a, b) => a.fd - b.fd);
  for (const { object, x: ox, y: oy, drawnBy, pairSide } of objects) {
    const holders = object.holders.filter((h) => placed.has(h.pid)).sort((a, b) => a.pid - b.pid || a.fd - b.fd);
    for (const holder of holders) {
      const node = placed.get(holder.pid)!;
      const mine = atGlyph(glyphOf({ object, drawnBy }), holder.pid);
      const k = mine.indexOf(holder) - (mine.length - 1) / 2;
      const dir = node.side === 'left' ? 1 : -1;
      const from = { x: node.x + (dir * NODE_WIDTH) / 2, y: node.y + k * 34 };
      // lower fds end lower on the glyph too (turning the other way on the left side): the fanned edges never cross
      const angle = Math.atan2(from.y - oy, from.x - ox) - dir * k * 0.28;
      const glyph = drawnBy ?? object;
      // a TCP connection, or the near end of a Unix pair: in at the box's outer side (a ring's radius falls short of it, or past it rows away)
      const pair = (glyph.kind === 'tcp' && glyph.state !== 'LISTEN') || pairSide === node.side;
      const to = pair
        ? { x: ox - dir * (TCP_PAIR_HALF_WIDTH + 6), y: oy + k * 16 }
        : { x: ox + Math.cos(angle) * (RING_RADIUS + 6), y: oy + Math.sin(angle) * (RING_RADIUS + 6) };
      const span = Math.abs(to.x - from.x);
      const direct = { from, c1: { x: from.x + dir * span * 0.45, y: from.y }, c2: { x: to.x - dir * span * 0.35, y: to.y + (from.y - to.y) * 0.2 }, to };
      // Through another glyph (an object rows away): down the gutter, in at this glyph's side (edge-route.ts).
      const others = glyphs.filter((g) => g.id !== glyph.id).map((g) => g.box);
      const own = glyphBox(glyph, ox, oy);
      const sideX = dir === 1 ? own.x : own.x + own.width;
      // the far end of a pair from this node: over (or under) the near end, onto the far end's top (or bottom)
      if (pairSide && pairSide !== node.side) {
        const ends = { sideX: from.x, top: node.y - NODE_HEIGHT / 2, bottom: node.y + NODE_HEIGHT / 2 };
        const over = overPairRoute(ends, { x: ox, y: oy }, dir);
        const route = crossesAny(over, others) ? overPairRoute(ends, { x: ox, y: oy }, dir, true) : over;
        edges.push({ id: `${object.id}/${holder.pid}/${holder.fd}`, pid: holder.pid, objectId: object.id, holder, ...route });
        continue;
      }
      if (crossesAny(direct, others)) rerouted.push({ index: edges.length, from, toY: oy + k * 16, sideX, dir, others });
      edges.push({ id: `${object.id}/${holder.pid}/${holder.fd}`, pid: holder.pid, objectId: object.id, holder, ...direct });
    }
  }
  // Edges going round share the gutter on their side: each its own lane, so they run side by side, not on top of each other.
  const column = glyphs.map((g) => g.box);
  for (const dir of [1, -1] as const) {
    const mine = rerouted.filter((r) => r.dir === dir);
    const lanes = gutterLanes(mine, column, dir);
    mine.forEach((r, i) => {
      const lane = gutterRoute(r.from, r.sideX, r.toY, dir, lanes[i]);
      edges[r.index] = { ...edges[r.index]!, ...(crossesAny(lane, r.others) ? gutterRoute(r.from, r.sideX, r.toY, dir) : lane) };
    });
  }
  return edges;
}
