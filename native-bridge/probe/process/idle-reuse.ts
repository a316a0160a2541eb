/**
 * When may a Sampler hand out its previous snapshot again? Only when nothing
 * in it could have changed without one of the watched processes running, and
 * none of them has run (their CPU time reads the same). Everything else is
 * read again.
 */
import type { IpcObject, Snapshot } from '../../model/snapshot-types';

/**
 * True when every object of `snapshot` can only change through processes of
 * `scope`: pipes all of whose holders are in scope, and unbound, non-listening
 * Unix sockets whose own holders and whose peer's holders are all in scope.
 * Anything another process can reach by name or by id (a FIFO's path, a bound
 * or listening socket, System V and POSIX objects, TCP/UDP) disqualifies it.
 */
export function changesOnlyThroughScope(snapshot: Snapshot, scope: ReadonlySet<number>): boolean {
  if (snapshot.problems.length > 0) return false;
  // made for the first Unix socket: a watch tick over pipes alone needs no index
  let byId: Map<string, IpcObject> | null = null;
  for (const object of snapshot.objects) {
    if (!heldInScope(object, scope)) return false;
    if (object.kind === 'pipe') continue;
    if (object.kind !== 'unix') return false;
    if (object.path !== undefined || object.pending !== undefined || object.peer === null) return false;
    byId ??= new Map(snapshot.objects.map((o) => [o.id, o]));
    if (!heldInScope(byId.get(object.peer), scope)) return false;
  }
  return true;
}

function heldInScope(object: IpcObject | undefined, scope: ReadonlySet<number>): boolean {
  if (object === undefined || object.holders.length === 0) return false;
  for (const holder of object.holders) if (!scope.has(holder.pid)) return false;
  return true;
}

/** The previous snapshot of one scope (the PIDs it was taken for, in order). */
export interface ReusableSnapshot {
  scopeKey: string;
  snapshot: Snapshot;
}

export function scopeKeyOf(pids: readonly number[]): string {
  return pids.join(',');
}
