import type { ProcessInfo } from '../../native-bridge/model/snapshot-types';
import { FAN_H, type MapEdge, type PlacedObject, type PlacedUnit, type Rect } from './map-geometry';
import { fanKey, type MapGroups, type UnitKey } from './map-group';

/**
 * The map's descriptor edges: one per unit, object and access (a fan's 200
 * members on one shared pipe are one counted edge), loud when the holder is
 * asleep on that object; a parent's edge to its fan; a sibling fan's edge to
 * the fan that holds their shared objects.
 */
export function layoutEdges(units: PlacedUnit[], objects: PlacedObject[], groups: MapGroups, byPid: Map<number, ProcessInfo>, unitAt: Map<UnitKey, Rect>): MapEdge[] {
  const edges: MapEdge[] = [];
  for (const o of objects) {
    const seen = new Map<string, MapEdge>();
    for (const h of o.object.holders) {
      const key = groups.unitOf.get(h.pid);
      const from = key ? unitAt.get(key) : undefined;
      if (!key || !from) continue;
      const blocked = byPid.get(h.pid)?.blocked?.object === o.object.id;
      // One line per unit and access: a fan's 200 members on one shared pipe are one edge.
      const dedupe = `${key}/${h.access}/${blocked}`;
      const earlier = seen.get(dedupe);
      if (earlier) {
        earlier.count += 1;
        continue;
      }
      const toLeft = from.x + from.w <= o.x;
      const edge: MapEdge = {
        from: { x: toLeft ? from.x + from.w : from.x, y: from.y + Math.min(from.h, FAN_H) / 2 },
        to: { x: toLeft ? o.x : o.x + o.w, y: o.y + o.h / 2 },
        pid: h.pid,
        objectId: o.object.id,
        unit: key,
        access: h.access,
        blocked,
        count: 1,
      };
      seen.set(dedupe, edge);
      edges.push(edge);
    }
    // Holders a wire frame left out (native-bridge/model/wire-frame.ts) are counted by parent and command: a fan's share joins its edge.
    for (const c of o.object.holdersOmitted ?? []) {
      const edge = seen.get(`${fanKey(c.ppid, c.comm)}/${c.access}/false`);
      if (edge) edge.count += c.count;
    }
  }
  // A fan's own objects are held by its parent too: one edge from the parent to the fan says so.
  for (const placed of units) {
    const unit = placed.unit;
    if (unit.kind !== 'fan') continue;
    const parentKey = groups.unitOf.get(unit.ppid);
    const parent = parentKey ? unitAt.get(parentKey) : undefined;
    let count = 0;
    for (const list of unit.memberObjects.values()) for (const o of list) count += o.holders.filter((h) => h.pid === unit.ppid).length;
    // A sibling fan holding this fan's objects (the writers of its pipes): one edge between the two, counted.
    for (const [fromKey, n] of unit.linkedFrom) {
      const sibling = unitAt.get(fromKey);
      if (!sibling) continue;
      edges.push({
        from: { x: sibling.x + sibling.w, y: sibling.y + FAN_H / 2 },
        to: { x: placed.x + placed.w, y: placed.y + FAN_H / 2 },
        pid: unit.ppid,
        objectId: null,
        unit: fromKey,
        access: 'w',
        blocked: false,
        count: n,
        bulge: 70,
      });
    }
    if (!parent) continue;
    edges.push({
      from: { x: parent.x + parent.w, y: parent.y + Math.min(parent.h, FAN_H) / 2 },
      to: { x: placed.x, y: placed.y + FAN_H / 2 },
      pid: unit.ppid,
      objectId: null,
      unit: parentKey!,
      access: 'rw',
      blocked: false,
      count,
    });
  }
  return edges;
}
