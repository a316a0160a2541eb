/**
 * Diagnoses in a Sampler's frames. A frame is one instant; a diagnosis is a
 * claim about forever ("will never see EOF", "deadlock"), so a Sampler only
 * publishes one the kernel shows persisting:
 *
 * - found again by the next diagnose pass, at least `confirmMs` after it was
 *   first found (one sample can catch a reader asleep on an empty pipe a
 *   microsecond before the writer's next write wakes it);
 * - for the kinds made of sleeps (deadlock, never-eof, blocked-writer), none
 *   of its processes' main threads has been on a CPU since it was first found:
 *   the third field of /proc/PID/schedstat counts the times the kernel ran
 *   the thread, and it stays put only while the thread sleeps in that one
 *   wait. A reader woken mid-write, given a chunk and asleep again in read()
 *   looks the same in two samples but has run in between: its wait starts
 *   over. (wchan and /proc/PID/syscall, like schedstat here, describe the
 *   main thread: KERNEL-FACTS.md.)
 *
 * Orphaned System V objects and full backlogs are states of an object, not
 * sleeps: they need the two passes and `confirmMs` only.
 *
 * The pass runs at most every `everyMs`: frames in between carry the last
 * published list and `diagnosedAt`, the takenAt of the sample it came from.
 */
import { diagnose, processExistsInProc, type ProcessExists } from '../diagnose/index';
import type { Diagnosis, DiagnosisKind } from '../model/diagnosis-types';
import type { Snapshot } from '../model/snapshot-types';
import { readSmallFile } from './process/fast-fs';

/** A pass at most this often (ms): measured at ~1 ms for a thousand processes (bench/observe-cost.ts), so 10 a second is cheap. */
export const DIAGNOSE_EVERY_MS = 100;
/** A diagnosis is shown once the state has held this long (ms). */
export const CONFIRM_MS = 300;

const SLEEP_KINDS: ReadonlySet<DiagnosisKind> = new Set(['deadlock', 'never-eof', 'blocked-writer']);

export interface DiagnosisCadence {
  everyMs?: number;
  confirmMs?: number;
  /** Whether a PID lives (orphaned System V objects); /proc by default. */
  exists?: ProcessExists;
  /** How many times a process's main thread has been run (null: unreadable); /proc/PID/schedstat by default. */
  timesRun?: (pid: number) => number | null;
}

interface Sighting {
  since: number;
  passes: number;
  /** Each process's times-run when first found (empty for object kinds). */
  runs: (number | null)[];
}

/** The third field of /proc/PID/schedstat: "run_ns wait_ns timeslices" of the main thread. */
export function timesRunOf(pid: number): number | null {
  const text = readSmallFile(`/proc/${pid}/schedstat`);
  const field = text?.trim().split(' ')[2];
  return field === undefined ? null : Number(field);
}

/** One diagnosis across passes: its kind, processes and objects (evidence such as queued bytes may change). */
function keyOf(d: Diagnosis): string {
  return `${d.kind}|${[...d.processes].sort((a, b) => a - b).join(',')}|${[...d.objects].sort().join(',')}`;
}

export class DiagnosisTracker {
  private readonly everyMs: number;
  private readonly confirmMs: number;
  private readonly exists: ProcessExists;
  private readonly timesRun: (pid: number) => number | null;
  private sightings = new Map<string, Sighting>();
  private published: Diagnosis[] = [];
  private diagnosedAt: number | null = null;
  /** The last pass's duration (ms), for the bench. */
  lastPassMs = 0;

  constructor(cadence: DiagnosisCadence = {}) {
    this.everyMs = cadence.everyMs ?? DIAGNOSE_EVERY_MS;
    this.confirmMs = cadence.confirmMs ?? CONFIRM_MS;
    this.exists = cadence.exists ?? processExistsInProc;
    this.timesRun = cadence.timesRun ?? timesRunOf;
  }

  /** The snapshot with the published diagnoses, after a pass when one is due. */
  attach(snapshot: Snapshot): Snapshot {
    const last = this.diagnosedAt;
    if (last === null || snapshot.takenAt - last >= this.everyMs || snapshot.takenAt < last) this.pass(snapshot);
    return { ...snapshot, diagnoses: this.published, diagnosedAt: this.diagnosedAt ?? snapshot.takenAt };
  }

  /** Forgets every sighting (a new scope: nothing seen before counts). */
  reset(): void {
    this.sightings.clear();
    this.published = [];
    this.diagnosedAt = null;
  }

  private pass(snapshot: Snapshot): void {
    const started = performance.now();
    const now = snapshot.takenAt;
    const next = new Map<string, Sighting>();
    const published: Diagnosis[] = [];
    for (const d of diagnose(snapshot, this.exists)) {
      const key = keyOf(d);
      const runs = SLEEP_KINDS.has(d.kind) ? d.processes.map(this.timesRun) : [];
      const before = this.sightings.get(key);
      const held = before !== undefined && before.runs.every((n, i) => n === runs[i]);
      const sighting: Sighting = held ? { since: before.since, passes: before.passes + 1, runs } : { since: now, passes: 1, runs };
      next.set(key, sighting);
      if (sighting.passes >= 2 && now - sighting.since >= this.confirmMs) published.push({ ...d, since: sighting.since });
    }
    this.sightings = next;
    this.published = published;
    this.diagnosedAt = now;
    this.lastPassMs = performance.now() - started;
  }
}
