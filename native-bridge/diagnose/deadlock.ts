/**
 * Deadlock: processes asleep on objects whose every possible waker is itself
 * asleep in the same knot, with a cycle among them. Found as in the OR model
 * of wait-for graphs: a process can progress when it is not in the graph
 * (running, or a wait anyone could end) or when one of its wakers can; what
 * is left cannot, and its strongly connected parts of two or more processes
 * are the rings.
 */
import type { Diagnosis, DiagnosisFact } from '../model/diagnosis-types';
import { named, withEvidence } from './evidence-text';
import type { SnapshotIndex, WaitFor } from './wait-for';

/** PIDs in `graph` that no chain of wakers leads out of. */
export function stuckProcesses(graph: Map<number, WaitFor>): Set<number> {
  const stuck = new Set(graph.keys());
  let changed = true;
  while (changed) {
    changed = false;
    for (const pid of stuck) {
      if (graph.get(pid)!.satisfiers.some((s) => !stuck.has(s.pid))) {
        stuck.delete(pid);
        changed = true;
      }
    }
  }
  return stuck;
}

/** Strongly connected parts (Tarjan) of the graph restricted to `nodes`, in discovery order. */
function stronglyConnected(nodes: Set<number>, graph: Map<number, WaitFor>): number[][] {
  const order = new Map<number, number>();
  const low = new Map<number, number>();
  const stack: number[] = [];
  const onStack = new Set<number>();
  const parts: number[][] = [];
  const visit = (pid: number): void => {
    order.set(pid, order.size);
    low.set(pid, order.get(pid)!);
    stack.push(pid);
    onStack.add(pid);
    for (const { pid: next } of graph.get(pid)!.satisfiers) {
      if (!nodes.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        low.set(pid, Math.min(low.get(pid)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(pid, Math.min(low.get(pid)!, order.get(next)!));
      }
    }
    if (low.get(pid) === order.get(pid)) {
      const part: number[] = [];
      let top: number;
      do {
        top = stack.pop()!;
        onStack.delete(top);
        part.push(top);
      } while (top !== pid);
      parts.push(part.reverse());
    }
  };
  for (const pid of [...nodes].sort((a, b) => a - b)) if (!order.has(pid)) visit(pid);
  return parts;
}

/** A walk around the ring: each process followed by one it waits on, ending where it started. */
function ringOrder(part: number[], graph: Map<number, WaitFor>): number[] {
  const members = new Set(part);
  const ring = [Math.min(...part)];
  const seen = new Set(ring);
  for (;;) {
    const next = graph.get(ring[ring.length - 1]!)!.satisfiers.find((s) => members.has(s.pid) && !seen.has(s.pid));
    if (!next) break;
    ring.push(next.pid);
    seen.add(next.pid);
  }
  // a knot wider than one cycle: the members the walk missed follow it
  for (const pid of part) if (!seen.has(pid)) ring.push(pid);
  return ring;
}

/** `neverEof`: pipes already diagnosed as read without EOF (their readers holding the write ends are that, not a ring). */
export function findDeadlocks(graph: Map<number, WaitFor>, index: SnapshotIndex, neverEof: ReadonlySet<string>): Diagnosis[] {
  const stuck = stuckProcesses(graph);
  const out: Diagnosis[] = [];
  for (const part of stronglyConnected(stuck, graph)) {
    // a ring of one: a process waiting on itself (flock() on a file it locked through another open)
    const own = graph.get(part[0]!)!.satisfiers;
    const selfLoop = part.length === 1 && own.length > 0 && own.every((s) => s.pid === part[0]);
    if (part.length < 2 && !selfLoop) continue;
    const objects = [...new Set(part.map((pid) => graph.get(pid)!.object))];
    if (objects.length === 1 && neverEof.has(objects[0]!)) continue;
    const ring = ringOrder(part, graph);
    const facts: DiagnosisFact[] = ring.map((pid) => {
      const wait = graph.get(pid)!;
      const members = wait.satisfiers.filter((s) => stuck.has(s.pid));
      const wakers = members.map((s) => ({ ...named(s.pid, index), fd: s.fd }));
      return { fact: 'ring-member', process: named(pid, index), wait: wait.wait, wakers, needs: wait.needs, itself: members.every((s) => s.pid === pid) };
    });
    out.push({ kind: 'deadlock', processes: ring, objects: ring.map((pid) => graph.get(pid)!.object).filter((o, i, all) => all.indexOf(o) === i), ...withEvidence(facts) });
  }
  return out;
}
