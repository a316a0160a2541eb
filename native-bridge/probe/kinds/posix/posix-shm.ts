/**
 * POSIX shared memory: files in /dev/shm. Holders come from descriptors whose
 * link reads `/dev/shm/NAME`, mappers from maps lines with that path
 * (KERNEL-FACTS "POSIX IPC"). An unlinked object keeps its link with
 * " (deleted)" appended and is reported under that name.
 */
import { readdirSync, statSync } from 'node:fs';
import type { Holder, PosixShmObject } from '../../../model/snapshot-types';
import { O_CLOEXEC, O_RDONLY, native } from '../../../libc/libc';
import { type DescriptorBorrower, borrowOnce } from '../../process/pidfd';
import { MAX_PEEK_BYTES, type KindProbe, type KindProbeResult, type ProbeContext } from '../../probe-types';

const SHM_DIR = '/dev/shm/';

/** "/dev/shm/x" -> "/x", "/dev/shm/x (deleted)" -> "/x (deleted)", anything else -> null. */
export function posixShmName(target: string): string | null {
  if (!target.startsWith(SHM_DIR)) return null;
  const rest = target.slice(SHM_DIR.length);
  if (rest === '' || rest.replace(/ \(deleted\)$/, '').includes('/')) return null;
  return `/${rest}`;
}

interface Found {
  name: string;
  /** Descriptors on it; each one's link reads the object's path: its one target. */
  holders: Holder[];
  attached: Set<number>;
  /** A /proc/PID/fd/N path to stat when the name is gone from /dev/shm. */
  fdPath: string | null;
}

function sizeOf(found: Found): number | null {
  const paths = found.name.endsWith(' (deleted)') ? [] : [`${SHM_DIR}${found.name.slice(1)}`];
  if (found.fdPath) paths.push(found.fdPath);
  for (const p of paths) {
    try {
      return statSync(p).size;
    } catch {
      /* gone meanwhile */
    }
  }
  return null;
}

function preadStart(fd: number, len: number): string | null {
  const buf = new Uint8Array(len);
  const n = native.pread(fd, buf, len, 0);
  return n > 0 ? Buffer.from(buf.subarray(0, n)).toString('base64') : null;
}

/**
 * The first bytes, by pread at offset 0 (no file position moves): through the
 * name while it exists, else through a holder's pidfd_getfd duplicate.
 */
function peekPosixShm(found: Found, size: number | null, peekBytes: number, borrow: DescriptorBorrower): string | null {
  const len = Math.min(size ?? 0, peekBytes, MAX_PEEK_BYTES);
  if (len <= 0) return null;
  if (!found.name.endsWith(' (deleted)')) {
    const fd = native.open(`${SHM_DIR}${found.name.slice(1)}`, O_RDONLY | O_CLOEXEC, 0);
    if (fd >= 0) {
      try {
        return preadStart(fd, len);
      } finally {
        native.close(fd);
      }
    }
  }
  for (const h of found.holders) {
    if (h.access === 'w') continue;
    const peek = borrow(h.pid, h.fd, (dup) => preadStart(dup, len));
    if (peek !== null) return peek;
  }
  return null;
}

/** The entry for `name`, added to `byName` the first time. */
function foundIn(byName: Map<string, Found>, name: string): Found {
  let f = byName.get(name);
  if (!f) {
    f = { name, holders: [], attached: new Set(), fdPath: null };
    byName.set(name, f);
  }
  return f;
}

function collect(ctx: ProbeContext, borrow: DescriptorBorrower): KindProbeResult {
  // Made on the first name found: a watch tick over processes that hold none allocates nothing.
  let byName: Map<string, Found> | null = null;
  for (const p of ctx.processes.values()) {
    for (const fd of p.fds) {
      const name = posixShmName(fd.target);
      if (!name) continue;
      const f = foundIn((byName ??= new Map()), name);
      f.holders.push({ pid: p.pid, fd: fd.fd, access: fd.access });
      f.fdPath ??= `/proc/${p.pid}/fd/${fd.fd}`;
    }
    for (const m of p.maps ?? []) {
      const name = posixShmName(m.path);
      if (name) foundIn((byName ??= new Map()), name).attached.add(p.pid);
    }
  }
  if (ctx.wholeMachine) {
    try {
      for (const e of readdirSync(SHM_DIR, { withFileTypes: true })) if (e.isFile()) foundIn((byName ??= new Map()), `/${e.name}`);
    } catch {
      /* no /dev/shm */
    }
  }
  if (byName === null) return { objects: [], targets: new Map() };
  const objects: PosixShmObject[] = [];
  const targets = new Map<string, string>();
  for (const f of byName.values()) {
    const id = `posix_shm:${f.name}`;
    const path = `${SHM_DIR}${f.name.slice(1)}`;
    if (f.holders.length > 0) targets.set(path, id);
    const size = sizeOf(f);
    objects.push({
      id,
      kind: 'posix_shm',
      name: f.name,
      path,
      size,
      peek: ctx.options.peekBytes > 0 ? peekPosixShm(f, size, ctx.options.peekBytes, borrow) : null,
      holders: f.holders.sort((a, b) => a.pid - b.pid || a.fd - b.fd),
      attached: [...f.attached].sort((a, b) => a - b),
    });
  }
  return { objects, targets };
}

/** A probe that peeks held, unlinked objects through `borrow` (the core's PidfdTable.borrow keeps pidfds between ticks). */
export function createPosixShmProbe(borrow: DescriptorBorrower = borrowOnce): KindProbe {
  return { name: 'posix-shm', reaches: (target) => posixShmName(target) !== null, changedThrough: (target) => posixShmName(target) !== null, collect: (ctx) => collect(ctx, borrow) };
}

export const posixShmProbe: KindProbe = createPosixShmProbe();
