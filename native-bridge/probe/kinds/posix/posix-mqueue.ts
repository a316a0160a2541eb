/**
 * POSIX message queues. A queue descriptor's link reads `/NAME`, which a file
 * at the root could also read, so candidates are confirmed with statfs
 * (f_type MQUEUE_MAGIC). Attributes come from mq_getattr on a pidfd_getfd
 * duplicate. Payload bytes (QSIZE) come from a mounted mqueue filesystem, or
 * from pread at offset 0 on a duplicate of a readable descriptor (the
 * holder's file position is not moved); otherwise `queued` is null: unknown.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Holder, MqueueObject } from '../../../model/snapshot-types';
import { O_CLOEXEC, O_RDONLY, native } from '../../../libc/libc';
import { MQUEUE_MAGIC, type MqAttr, fsMagic, mqGetattr, readQsize, readQsizeAt } from '../../../libc/posix-ipc';
import { type DescriptorBorrower, borrowOnce } from '../../process/pidfd';
import type { KindProbe, KindProbeResult, ProbeContext } from '../../probe-types';

/** Mount point of an mqueue filesystem visible to this process (or to `pid`, in its own mount namespace), or null (none on this machine by default). */
export function mqueueMount(pid: number | 'self' = 'self'): string | null {
  try {
    for (const line of readFileSync(`/proc/${pid}/mountinfo`, 'latin1').split('\n')) {
      /* id parent maj:min root mountpoint opts ... - fstype source superopts */
      const [left, right] = line.split(' - ');
      if (right?.split(' ')[0] === 'mqueue') return left!.split(' ')[4]!.replace(/\\040/g, ' ');
    }
  } catch {
    /* no /proc */
  }
  return null;
}

const CANDIDATE = /^\/[^/]+$/;

interface Found {
  name: string;
  /** Descriptors on it; each one's link reads the name: its one target. */
  holders: Holder[];
}

function attrsOf(fd: number): MqAttr | null {
  try {
    return mqGetattr(fd);
  } catch {
    return null;
  }
}

function attrsThroughMount(mount: string, name: string): MqAttr | null {
  const fd = native.open(`${mount}/${name.slice(1)}`, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) return null;
  try {
    return attrsOf(fd);
  } finally {
    native.close(fd);
  }
}

/**
 * QSIZE through an mqueue filesystem a holder mounted in a mount namespace
 * of its own (the POSIX queue lesson's actor does): the file is reached
 * through /proc/PID/root, which walks that process's mounts. Needed when
 * no holder has the queue open for reading (pread on a write-only
 * descriptor gives EBADF).
 */
function qsizeThroughHolderMount(holders: Holder[], name: string): number | null {
  for (const pid of new Set(holders.map((h) => h.pid))) {
    const mount = mqueueMount(pid);
    if (mount === null) continue;
    const queued = readQsizeAt(`/proc/${pid}/root${mount}`, name);
    if (queued !== null) return queued;
  }
  return null;
}

interface QueueReading {
  attr: MqAttr | null;
  queued: number | null;
}

/**
 * Attributes and QSIZE through the holders, one borrow per holder: attributes
 * from the first that yields them, QSIZE (a pread at offset 0) from the first
 * readable one that yields it, unless `queued` is already known.
 */
function readThroughHolders(holders: Holder[], queuedKnown: number | null, borrow: DescriptorBorrower): QueueReading {
  const read: QueueReading = { attr: null, queued: queuedKnown };
  for (const h of holders) {
    const wantAttr = read.attr === null;
    const wantQueued = read.queued === null && h.access !== 'w';
    if (!wantAttr && read.queued !== null) break;
    if (!wantAttr && !wantQueued) continue;
    borrow(h.pid, h.fd, (dup) => {
      if (wantAttr) read.attr = attrsOf(dup);
      if (wantQueued) read.queued = readQsize(dup);
    });
  }
  return read;
}

const POLLPRI = 0x2;
const POLLERR = 0x8;
const POLLNVAL = 0x20;

/**
 * Where this process sees an mqueue filesystem, read again only after its
 * mount table changed: poll(2) on a held /proc/self/mountinfo reports
 * POLLPRI once per change of the mount namespace (fs/proc_namespace.c,
 * mounts_poll). One poll a tick instead of reading and parsing mountinfo.
 */
export class MqueueMountWatch {
  private fd = -1;
  private mount: string | null = null;
  private readonly pollfd = Buffer.alloc(8);

  current(): string | null {
    if (this.fd < 0) {
      // held before the read: a change after it shows in the next poll
      this.fd = native.open('/proc/self/mountinfo', O_RDONLY | O_CLOEXEC, 0);
      this.mount = mqueueMount();
      return this.mount;
    }
    this.pollfd.writeInt32LE(this.fd, 0);
    this.pollfd.writeInt16LE(POLLPRI, 4);
    this.pollfd.writeInt16LE(0, 6);
    const ready = native.poll(this.pollfd, 1, 0);
    if (ready < 0 || (ready > 0 && (this.pollfd.readInt16LE(6) & (POLLPRI | POLLERR | POLLNVAL)) !== 0)) this.mount = mqueueMount();
    return this.mount;
  }

  close(): void {
    if (this.fd >= 0) native.close(this.fd);
    this.fd = -1;
  }
}

function collect(ctx: ProbeContext, borrow: DescriptorBorrower, mounts: MqueueMountWatch | null): KindProbeResult {
  const byName = new Map<string, Found>();
  for (const p of ctx.processes.values()) {
    for (const fd of p.fds) {
      if (!CANDIDATE.test(fd.target)) continue;
      if (fsMagic(`/proc/${p.pid}/fd/${fd.fd}`) !== MQUEUE_MAGIC) continue;
      /* an unlinked queue reads "/NAME (deleted)" and stays a separate object */
      const f = byName.get(fd.target) ?? { name: fd.target, holders: [] };
      f.holders.push({ pid: p.pid, fd: fd.fd, access: fd.access });
      byName.set(fd.target, f);
    }
  }
  /* nothing held in a PID scope: no need to look for a mount (a mountinfo read per tick) */
  if (!ctx.wholeMachine && byName.size === 0) return { objects: [], targets: new Map() };
  const mount = mounts ? mounts.current() : mqueueMount();
  if (ctx.wholeMachine && mount) {
    try {
      for (const entry of readdirSync(mount)) {
        const name = `/${entry}`;
        if (!byName.has(name)) byName.set(name, { name, holders: [] });
      }
    } catch {
      /* unreadable mount */
    }
  }
  const objects: MqueueObject[] = [];
  const targets = new Map<string, string>();
  for (const f of byName.values()) {
    const id = `mqueue:${f.name}`;
    if (f.holders.length > 0) targets.set(f.name, id);
    const holders = f.holders.sort((a, b) => a.pid - b.pid || a.fd - b.fd);
    const live = !f.name.endsWith(' (deleted)');
    const read = readThroughHolders(holders, mount && live ? readQsizeAt(mount, f.name) : null, borrow);
    const attr = read.attr ?? (mount && live ? attrsThroughMount(mount, f.name) : null);
    const queued = read.queued ?? (live && !mount ? qsizeThroughHolderMount(holders, f.name) : null);
    objects.push({
      id,
      kind: 'mqueue',
      name: f.name,
      holders,
      queued,
      messages: attr?.messages ?? null,
      maxMessages: attr?.maxMessages ?? null,
      messageSize: attr?.messageSize ?? null,
    });
  }
  return { objects, targets };
}

/** A probe that reads queues through `borrow` (the core's PidfdTable.borrow keeps pidfds between ticks). */
export function createMqueueProbe(borrow: DescriptorBorrower = borrowOnce): KindProbe & { close(): void } {
  const mounts = new MqueueMountWatch();
  return { name: 'mqueue', reaches: (target) => CANDIDATE.test(target), changedThrough: (target) => CANDIDATE.test(target), collect: (ctx) => collect(ctx, borrow, mounts), close: () => mounts.close() };
}

export const mqueueProbe: KindProbe = { name: 'mqueue', reaches: (target) => CANDIDATE.test(target), changedThrough: (target) => CANDIDATE.test(target), collect: (ctx) => collect(ctx, borrowOnce, null) };
