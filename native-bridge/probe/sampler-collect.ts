/**
 * The kind probes' pass of a sample: each probe that may have anything to
 * report collects its objects, and one whose kernel source fails this time
 * reports its previous answer, marked stale, instead of nothing.
 */
import type { IpcObject, ProbeProblem } from '../model/snapshot-types';
import type { KindCadence } from './kind-cadence';
import type { KindProbe, KindProbeResult, ProbeContext } from './probe-types';

/** Each probe's latest answer, and for which scope. */
export type LastCollected = Map<KindProbe, { scopeKey: string; result: KindProbeResult }>;

export interface Collected {
  objects: IpcObject[];
  objectOfTarget: Map<string, string>;
  /** The object each blocked process waits on, by pid. */
  waits: Map<number, string>;
}

/** Runs `probes` over `ctx`; problems (a probe's own, or its failure) are pushed onto `problems`. */
export function collectObjects(
  probes: readonly KindProbe[],
  ctx: ProbeContext,
  scopeKey: string,
  last: LastCollected,
  mayReport: (probe: KindProbe) => boolean,
  problems: ProbeProblem[],
  /** Whole-machine mode: which kernel-wide sources to read again at `now` (kind-cadence.ts). */
  cadence: { kinds: KindCadence; now: number } | null = null,
): Collected {
  const objects: IpcObject[] = [];
  const objectOfTarget = new Map<string, string>();
  const waits = new Map<number, string>();
  for (const probe of probes) {
    if (!mayReport(probe)) {
      last.delete(probe);
      cadence?.kinds.drop(probe);
      continue;
    }
    let result: KindProbeResult | null = cadence ? cadence.kinds.reusable(probe, ctx, cadence.now) : null;
    try {
      if (!result) {
        result = probe.collect(ctx);
        cadence?.kinds.record(probe, ctx, cadence.now, result);
      }
      last.set(probe, { scopeKey, result });
    } catch (error) {
      // one kernel source failing (netlink refused, say) never stops the snapshot
      const reason = `${probe.name}: ${error instanceof Error ? error.message : String(error)}`;
      problems.push({ pid: 0, reason });
      result = lastResultOf(last, probe, scopeKey, reason);
    }
    for (const problem of result.problems ?? []) problems.push({ pid: 0, reason: `${probe.name}: ${problem}` });
    for (const [pid, object] of result.waits ?? []) waits.set(pid, object);
    objects.push(...result.objects);
    for (const [target, id] of result.targets) {
      objectOfTarget.set(target, id);
      ctx.claimed.add(target);
    }
  }
  return { objects, objectOfTarget, waits };
}

/**
 * What a probe whose kernel source failed this time reports: its previous
 * answer for the same scope, each object marked stale with the reason. A
 * failed read is never a change in the kernel: without this a watch would
 * report every object of that kind closed, and opened again a tick later.
 */
function lastResultOf(last: LastCollected, probe: KindProbe, scopeKey: string, reason: string): KindProbeResult {
  const previous = last.get(probe);
  if (!previous || previous.scopeKey !== scopeKey) return { objects: [], targets: new Map() };
  const objects = previous.result.objects.map((o) => ({ ...o, holders: [...o.holders], stale: reason }));
  return { objects, targets: previous.result.targets };
}
