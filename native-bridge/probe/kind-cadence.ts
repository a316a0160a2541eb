/**
 * When a whole-machine Sampler lists a kernel-wide source again (a socket
 * dump, /proc/locks, /dev/shm, /dev/mqueue, a System V table). On a quiet
 * machine these reads were most of a 10 Hz tick (~1.4 ms of ~5: TCP and UDP
 * 0.6, Unix 0.3, /proc/locks 0.2, /dev/shm 0.13) while their answers did not
 * change: what changes them is a process that runs (a send, a connect, a
 * flock, a shm_open), and the probe says which (KindProbe.changedThrough).
 * So a source is read again at a sample when:
 * - a process that ran since the previous sample (not in ctx.idle) holds a
 *   descriptor or mapping the probe's `changedThrough` accepts, or any
 *   process ran for 'any process'. This engine's own process is left out:
 *   it runs at every tick to take the sample, and what it holds (its
 *   sock_diag sockets, a browser's connection) would otherwise re-read every
 *   source at every tick;
 * - the holders index is not the one of the last read: some descriptor table
 *   changed (a socket opened or closed, a process started or exited);
 * - `recheckMs` passed since it was read: the network changes a socket's
 *   queues and states with no local process running (an ACK, a SYN to a
 *   listener), and a cold process that ran is seen only at its next check.
 *   The cold cadence's period (cold-cadence.ts), so an object is never shown
 *   older than the processes beside it.
 * In between, the last answer is shown with when it was read
 * (IpcObject.checkedAt). Every object of such a probe carries it in a
 * whole-machine frame: `takenAt` when read for that frame.
 */
import type { KindProbe, KindProbeResult, ProbeContext } from './probe-types';

interface LastRead {
  at: number;
  index: ProbeContext['holdersByTarget'];
  result: KindProbeResult;
}

export class KindCadence {
  private readonly last = new Map<KindProbe, LastRead>();
  /** The processes that ran since the previous sample, this engine left out: worked out once per sample. */
  private ran: number[] = [];

  constructor(
    readonly recheckMs: number,
    private readonly self = process.pid,
  ) {}

  /** Starts a sample: which processes ran since the previous one. */
  begin(ctx: ProbeContext): void {
    const ran: number[] = [];
    for (const pid of ctx.processes.keys()) if (pid !== this.self && !ctx.idle?.has(pid)) ran.push(pid);
    this.ran = ran;
  }

  /** The previous answer of `probe` when it still stands at `now`, else null: read it again. */
  reusable(probe: KindProbe, ctx: ProbeContext, now: number): KindProbeResult | null {
    const changedThrough = probe.changedThrough;
    if (!changedThrough) return null;
    const last = this.last.get(probe);
    if (!last || last.index !== ctx.holdersByTarget || now - last.at >= this.recheckMs) return null;
    if (this.ran.length === 0) return last.result;
    if (changedThrough === 'any process') return null;
    for (const pid of this.ran) if (holdsAny(ctx, pid, changedThrough)) return null;
    return last.result;
  }

  /** `probe` was read at `now`: its objects carry when, and its answer may stand for later samples. */
  record(probe: KindProbe, ctx: ProbeContext, now: number, result: KindProbeResult): void {
    if (!probe.changedThrough) return;
    for (const object of result.objects) object.checkedAt = now;
    this.last.set(probe, { at: now, index: ctx.holdersByTarget, result });
  }

  /** `probe` had nothing to report (its System V table known empty): its next answer is read. */
  drop(probe: KindProbe): void {
    this.last.delete(probe);
  }

  /** Reads every source again at the next sample (after Sampler.invalidate(), or when the scope changed). */
  forget(): void {
    this.last.clear();
  }
}

/** Whether `pid` holds a descriptor, or maps a file, that `accepts`. */
function holdsAny(ctx: ProbeContext, pid: number, accepts: (target: string) => boolean): boolean {
  const proc = ctx.processes.get(pid);
  if (!proc) return false;
  for (const fd of proc.fds) if (accepts(fd.target)) return true;
  for (const entry of proc.maps ?? []) if (accepts(entry.path)) return true;
  return false;
}
