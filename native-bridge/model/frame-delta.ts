import type { Frame } from './frame-types';
import type { IpcObject, ProcessInfo } from './snapshot-types';

/**
 * A frame as what changed since another frame the receiver holds (its
 * "base"): the browser mode's WebSocket and the desktop engine's port send
 * one full frame, then these. Idle processes do not change: a whole-machine
 * frame of ~1070 processes is ~400 KiB of JSON, its delta a few KiB.
 *
 * Sameness is judged by reference first: the Sampler hands out the very same
 * description for a process that has not run and the same object for an IPC
 * object nothing changed (probe/sampler-describe.ts, kind-cadence.ts), and
 * wireFrame() keeps its cuts by the object cut. Only an item that is not the
 * base's is compared by value, with the base's item of the same pid or id.
 * `applyFrameDelta` rebuilds exactly the frame `encodeFrameDelta` was given
 * (deep equal, as JSON carries it), reusing the base's items for the rest.
 */

/**
 * The next list as runs over the base list, new items and patched base
 * items: flat pairs [start, count]; start >= 0 copies base[start .. start +
 * count), start -1 takes the next `count` items of `items`, start -2 the next
 * `count` of `patches`.
 */
export interface ListDelta<T> {
  runs: number[];
  items: T[];
  /**
   * Base items with a few fields changed (a process or object read again
   * only gets a new `checkedAt`; a running process new /proc/PID/io counters):
   * base[at] with the fields of `set` and without those of `unset`.
   */
  patches?: ItemPatch[];
}

export interface ItemPatch {
  at: number;
  set: Record<string, unknown>;
  unset?: string[];
}

/** The fields of a record that differ from the base's (`fields`), and those that are the base's (`same`). */
export interface RecordDelta {
  same: string[];
  fields: Record<string, unknown>;
}

export interface FrameDelta {
  /** seq of the frame this delta applies to: a receiver holding another frame must refuse it. */
  base: number;
  /** Top-level fields but processes, objects and lesson; `seq` and `events` are always in `fields`. */
  frame: RecordDelta;
  /** The lesson, field by field, when both frames have one (its programs and titles rarely change). */
  lesson?: RecordDelta;
  processes: ListDelta<ProcessInfo>;
  objects: ListDelta<IpcObject>;
}

/** A delta that does not fit the frame it was applied to: the receiver must get a full frame instead. */
export class FrameDeltaMismatch extends Error {
  override name = 'FrameDeltaMismatch';
}

/** Fields never taken from the base: what a frame is (seq) and what happened since the last one (events). */
const ALWAYS_CARRIED = new Set(['seq', 'events']);
const LISTS = new Set(['processes', 'objects']);

export function encodeFrameDelta(base: Frame, next: Frame): FrameDelta {
  const delta: FrameDelta = {
    base: base.seq,
    frame: encodeRecord(base as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>, (key) => LISTS.has(key) || (key === 'lesson' && bothLessons(base, next))),
    processes: encodeList(base.processes, next.processes, processKey),
    objects: encodeList(base.objects, next.objects, objectKey),
  };
  if (bothLessons(base, next)) delta.lesson = encodeRecord(base.lesson as unknown as Record<string, unknown>, next.lesson as unknown as Record<string, unknown>, () => false);
  return delta;
}

/** The frame `delta` was made from, given the frame it was made against; throws FrameDeltaMismatch when `base` is not that frame. */
export function applyFrameDelta(base: Frame, delta: FrameDelta): Frame {
  if (delta.base !== base.seq) throw new FrameDeltaMismatch(`a delta against frame ${delta.base} arrived while the last frame held is ${base.seq}`);
  const next = applyRecord(base as unknown as Record<string, unknown>, delta.frame);
  if (delta.lesson) {
    if (!base.lesson) throw new FrameDeltaMismatch(`a lesson delta arrived for frame ${base.seq}, which has no lesson`);
    next.lesson = applyRecord(base.lesson as unknown as Record<string, unknown>, delta.lesson);
  }
  next.processes = applyList(base.processes, delta.processes, 'processes');
  next.objects = applyList(base.objects, delta.objects, 'objects');
  return next as unknown as Frame;
}

/** A delta's size in items: how many processes and objects it carries whole or patched (what changed). */
export function deltaItems(delta: FrameDelta): number {
  const { processes, objects } = delta;
  return processes.items.length + objects.items.length + (processes.patches?.length ?? 0) + (objects.patches?.length ?? 0);
}

function bothLessons(base: Frame, next: Frame): boolean {
  return base.lesson !== null && base.lesson !== undefined && next.lesson !== null && next.lesson !== undefined;
}

const processKey = (p: ProcessInfo): number => p.pid;
const objectKey = (o: IpcObject): string => o.id;

/** `skip(key)`: a field the caller encodes itself (left out of both `same` and `fields`). */
function encodeRecord(base: Record<string, unknown>, next: Record<string, unknown>, skip: (key: string) => boolean): RecordDelta {
  const same: string[] = [];
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(next)) {
    const value = next[key];
    if (value === undefined || skip(key)) continue;
    if (!ALWAYS_CARRIED.has(key) && key in base && (base[key] === value || sameValue(base[key], value))) same.push(key);
    else fields[key] = value;
  }
  return { same, fields };
}

function applyRecord(base: Record<string, unknown>, delta: RecordDelta): Record<string, unknown> {
  const next: Record<string, unknown> = {};
  for (const key of delta.same) {
    if (!(key in base)) throw new FrameDeltaMismatch(`a delta keeps "${key}", which the frame held does not have`);
    next[key] = base[key];
  }
  return Object.assign(next, delta.fields);
}

/**
 * Runs over `base` for `next`. The lists are usually in the same order with
 * a few items replaced: walked in step, with a map of the base built only
 * when an item is not where the walk expects it. An item that is not the
 * base's object is sent as a patch of the base's item of the same key, when
 * there is one (only the fields that differ in value), else whole.
 */
function encodeList<T extends object, K>(base: readonly T[], next: readonly T[], keyOf: (item: T) => K): ListDelta<T> {
  const runs: number[] = [];
  const items: T[] = [];
  const patches: ItemPatch[] = [];
  let byRef: Map<T, number> | null = null;
  let byKey: Map<K, number> | null = null;
  let expected = 0;
  const extend = (start: number, at: number): void => {
    const last = runs.length - 2;
    const joins = start < 0 ? runs[last] === start : runs[last]! >= 0 && runs[last]! + runs[last + 1]! === at;
    if (last >= 0 && joins) runs[last + 1]! += 1;
    else runs.push(start, 1);
  };
  for (const item of next) {
    let at: number;
    if (base[expected] === item) at = expected;
    else {
      byRef ??= indexBy(base, (x) => x);
      at = byRef.get(item) ?? -1;
      if (at === -1) {
        /* not the base's object: a patch of the base's item of the same key, or nothing when equal in value */
        byKey ??= indexBy(base, keyOf);
        const candidate = byKey.get(keyOf(item));
        const patch = candidate === undefined ? null : patchOf(base[candidate]!, item, candidate);
        if (patch === null) {
          items.push(item);
          extend(-1, -1);
          continue;
        }
        expected = candidate! + 1;
        if (Object.keys(patch.set).length > 0 || patch.unset) {
          patches.push(patch);
          extend(-2, -2);
          continue;
        }
        at = candidate!;
      }
    }
    expected = at + 1;
    extend(at, at);
  }
  return patches.length > 0 ? { runs, items, patches } : { runs, items };
}

/** The fields of `next` that differ in value from `base`'s, as a patch of base[at]; null when they are not records. */
function patchOf(base: object, next: object, at: number): ItemPatch | null {
  if (Array.isArray(base) || Array.isArray(next)) return null;
  const x = base as Record<string, unknown>;
  const y = next as Record<string, unknown>;
  const set: Record<string, unknown> = {};
  let unset: string[] | undefined;
  for (const key in y) {
    const value = y[key];
    if (value !== undefined && !sameValue(x[key], value)) set[key] = value;
  }
  for (const key in x) if (x[key] !== undefined && y[key] === undefined) (unset ??= []).push(key);
  return unset ? { at, set, unset } : { at, set };
}

function applyList<T>(base: readonly T[], delta: ListDelta<T>, name: string): T[] {
  const { runs, items } = delta;
  const patches = delta.patches ?? [];
  if (!Array.isArray(runs) || !Array.isArray(items) || !Array.isArray(patches) || runs.length % 2 !== 0) throw new FrameDeltaMismatch(`a malformed ${name} delta`);
  const next: T[] = [];
  let taken = 0;
  let patched = 0;
  for (let i = 0; i < runs.length; i += 2) {
    const start = runs[i]!;
    const count = runs[i + 1]!;
    if (!Number.isInteger(start) || !Number.isInteger(count) || count < 1) throw new FrameDeltaMismatch(`a malformed ${name} delta`);
    if (start === -1) {
      if (taken + count > items.length) throw new FrameDeltaMismatch(`a ${name} delta takes more items than it carries`);
      for (let k = 0; k < count; k++) next.push(items[taken++]!);
    } else if (start === -2) {
      if (patched + count > patches.length) throw new FrameDeltaMismatch(`a ${name} delta takes more patches than it carries`);
      for (let k = 0; k < count; k++) next.push(applyPatch(base, patches[patched++]!, name));
    } else {
      if (start < 0 || start + count > base.length) throw new FrameDeltaMismatch(`a ${name} delta copies past the ${base.length} the frame held has`);
      for (let k = start; k < start + count; k++) next.push(base[k]!);
    }
  }
  if (taken !== items.length || patched !== patches.length) throw new FrameDeltaMismatch(`a ${name} delta carries items it does not place`);
  return next;
}

function applyPatch<T>(base: readonly T[], patch: ItemPatch, name: string): T {
  const item = base[patch.at];
  if (!Number.isInteger(patch.at) || typeof item !== 'object' || item === null) throw new FrameDeltaMismatch(`a ${name} delta patches an item past the ${base.length} the frame held has`);
  const next = { ...(item as Record<string, unknown>) };
  for (const key of patch.unset ?? []) delete next[key];
  return Object.assign(next, patch.set) as T;
}

function indexBy<T, K>(list: readonly T[], keyOf: (item: T) => K): Map<K, number> {
  const index = new Map<K, number>();
  for (let i = 0; i < list.length; i++) {
    const key = keyOf(list[i]!);
    if (!index.has(key)) index.set(key, i);
  }
  return index;
}

/**
 * Equal as JSON carries them: the same keys with values not undefined, in
 * any order, arrays item by item. Shared sub-objects are compared by
 * reference first, so an item rebuilt around unchanged parts costs little.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    count += 1;
    if (!sameValue(x[key], y[key])) return false;
  }
  for (const key in y) if (y[key] !== undefined) count -= 1;
  return count === 0;
}
