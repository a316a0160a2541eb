/**
 * Diagnoses in a Sampler's frames. A frame is one instant; a diagnosis is a
 * claim about forever ("will never see EOF", "deadlock"), so a Sampler only
 * publishes one the kernel shows persisting for `confirmMs`, measured in the
 * kernel's time, not in samples:
 *
 * - for the kinds made of sleeps (deadlock, never-eof, blocked-writer,
 *   hidden-writer, hidden-reader), from when the counters of each of its processes prove
 *   its main thread asleep in that wait until the pass (asleep-since.ts):
 *   the CPU clock the sample read while scanning it, or the run count an
 *   earlier pass read. A reader
 *   woken mid-write, given a chunk and asleep again in read() looks the same
 *   in two samples but has run in between: its wait starts over. One slow
 *   sample is itself a span: a deadlock seen in an 11.7 s sample is
 *   confirmed at its end, not two samples later.
 * - a full Unix backlog with clients asleep in connect() on it, from the
 *   same proof over those clients: a client sleeps in unix_wait_for_peer
 *   only while the queue is full (unix_recvq_full), and every accept() wakes
 *   a peer_wait sleeper (unix_accept), so while all of them stay asleep the
 *   queue has stayed full since the latest of them went to sleep. One sample
 *   confirms it.
 * - orphaned System V objects, and full backlogs nobody is asleep on (TCP,
 *   whose clients retry SYNs rather than sleep on the listener; Unix clients
 *   that did not block): states of an object, found again by a later sample
 *   taken `confirmMs` after the first. An object keeps no trace of how long
 *   it has been so: for a segment, shm_dtime/shm_ctime tell since when nattch
 *   is 0, but nothing in the kernel tells when its creator (shm_cpid) died,
 *   and an orphan is only one once the creator is gone; the second sample,
 *   whose first already found the creator gone, is the only proof that
 *   nobody removed it as the creator exited (a wrapper's `prog; ipcrm`).
 *
 * Until then a candidate is published as pending (Snapshot.diagnosesPending:
 * what is watched, since when, how long it must hold), so a view never says
 * "nothing stuck" while one is being checked.
 *
 * The pass runs at most every `everyMs`: frames in between carry the last
 * published lists and `diagnosedAt`, when that pass checked the kernel.
 */
import { diagnose, processExistsInProc, type ProcessExists } from '../diagnose/index';
import type { Diagnosis, DiagnosisKind, PendingDiagnosis } from '../model/diagnosis-types';
import type { Snapshot } from '../model/snapshot-types';
import { checkSleep, sleepBases, type CounterReading, type SleepBases, type SleepCheck } from './asleep-since';

export { timesRunOf, type CounterReading } from './asleep-since';

/** A pass at most this often (ms): measured at ~1 ms for a thousand processes (bench/observe-cost.ts), so 10 a second is cheap. */
export const DIAGNOSE_EVERY_MS = 100;
/** A diagnosis is shown once the state has held this long (ms). */
export const CONFIRM_MS = 300;

const SLEEP_KINDS: ReadonlySet<DiagnosisKind> = new Set(['deadlock', 'never-eof', 'blocked-writer', 'hidden-writer', 'hidden-reader']);

/**
 * The processes whose sleep proves `d` has held (see the header), or null
 * for a state only a later sample can confirm.
 */
function sleepersOf(d: Diagnosis): readonly number[] | null {
  if (SLEEP_KINDS.has(d.kind)) return d.processes;
  if (d.kind === 'backlog-full') {
    /* KERNEL-FACTS: a connect() to a full Unix listener sleeps in unix_wait_for_peer */
    const connecting = d.facts.flatMap((f) => (f.fact === 'connecting' && f.sleep?.wchan === 'unix_wait_for_peer' ? [f.process.pid] : []));
    return connecting.length > 0 ? connecting : null;
  }
  return null;
}

export interface DiagnosisCadence {
  everyMs?: number;
  confirmMs?: number;
  /** Whether a PID lives (orphaned System V objects); /proc by default. */
  exists?: ProcessExists;
}

/** One candidate across passes: when first found (the sample's takenAt) and, for sleeps, each process's bases. */
interface Sighting {
  firstSeen: number;
  bases: Map<number, SleepBases>;
}

/** One diagnosis across passes: its kind, processes and objects (evidence such as queued bytes may change). */
function keyOf(d: Diagnosis): string {
  return `${d.kind}|${[...d.processes].sort((a, b) => a - b).join(',')}|${[...d.objects].sort().join(',')}`;
}

export class DiagnosisTracker {
  private readonly everyMs: number;
  private readonly confirmMs: number;
  private readonly exists: ProcessExists;
  private sightings = new Map<string, Sighting>();
  private published: Diagnosis[] = [];
  private pending: PendingDiagnosis[] = [];
  private diagnosedAt: number | null = null;
  /** The takenAt of the last sample diagnosed (the cadence). */
  private lastTakenAt: number | null = null;
  /** The last pass's duration (ms), for the bench. */
  lastPassMs = 0;

  constructor(cadence: DiagnosisCadence = {}) {
    this.everyMs = cadence.everyMs ?? DIAGNOSE_EVERY_MS;
    this.confirmMs = cadence.confirmMs ?? CONFIRM_MS;
    this.exists = cadence.exists ?? processExistsInProc;
  }

  /**
   * The snapshot with the published diagnoses, after a pass when one is due.
   * `scanClocks`: each process's CPU clock as the sample read it while
   * scanning it (a Sampler that tracks idleness reads them anyway).
   */
  attach(snapshot: Snapshot, scanClocks: ReadonlyMap<number, CounterReading> = new Map()): Snapshot {
    const last = this.lastTakenAt;
    if (last === null || snapshot.takenAt - last >= this.everyMs || snapshot.takenAt < last) this.pass(snapshot, scanClocks);
    return { ...snapshot, diagnoses: this.published, diagnosesPending: this.pending, diagnosedAt: this.diagnosedAt ?? snapshot.takenAt };
  }

  /** Forgets every sighting (a new scope: nothing seen before counts). */
  reset(): void {
    this.sightings.clear();
    this.published = [];
    this.pending = [];
    this.diagnosedAt = null;
    this.lastTakenAt = null;
  }

  private pass(snapshot: Snapshot, scanClocks: ReadonlyMap<number, CounterReading>): void {
    const started = performance.now();
    /* before any process is read again: the end of every span this pass proves */
    const checkedAt = Date.now();
    const checks = new Map<number, SleepCheck>();
    const checkOf = (pid: number): SleepCheck => {
      let check = checks.get(pid);
      if (!check) checks.set(pid, (check = checkSleep(pid)));
      return check;
    };
    const next = new Map<string, Sighting>();
    const published: Diagnosis[] = [];
    const pending: PendingDiagnosis[] = [];
    for (const d of diagnose(snapshot, this.exists)) {
      const key = keyOf(d);
      const before = this.sightings.get(key);
      const sighting: Sighting = { firstSeen: before?.firstSeen ?? snapshot.takenAt, bases: new Map() };
      next.set(key, sighting);
      let since: number | null;
      let heldMs: number;
      const sleepers = sleepersOf(d);
      if (sleepers) {
        // held since the latest of its processes' proofs; not at all while one cannot be proven asleep
        since = -Infinity;
        for (const pid of sleepers) {
          const { bases, from } = sleepBases(before?.bases.get(pid), scanClocks.get(pid), checkOf(pid));
          sighting.bases.set(pid, bases);
          since = from === null || since === null ? null : Math.max(since, from);
        }
        heldMs = since === null ? 0 : checkedAt - since;
      } else {
        since = null;
        heldMs = 0;
      }
      if (!SLEEP_KINDS.has(d.kind) && (since === null || snapshot.takenAt - sighting.firstSeen > heldMs)) {
        // an object's state: another sample, taken later, shows it again (also a backlog whose clients ran: accept() woke one)
        since = sighting.firstSeen;
        heldMs = snapshot.takenAt - since;
      }
      if (since !== null && heldMs >= this.confirmMs) published.push({ ...d, since });
      else pending.push({ kind: d.kind, processes: d.processes, objects: d.objects, since: since ?? checkedAt, heldMs: Math.max(0, heldMs), confirmMs: this.confirmMs });
    }
    this.sightings = next;
    this.published = published;
    this.pending = pending;
    this.diagnosedAt = checkedAt;
    this.lastTakenAt = snapshot.takenAt;
    this.lastPassMs = performance.now() - started;
  }
}
