/**
 * POSIX message queues. A queue descriptor's link reads `/NAME`, which a file
 * at the root could also read, so candidates are confirmed with statfs
 * (f_type MQUEUE_MAGIC). Attributes come from mq_getattr on a pidfd_getfd
 * duplicate. Payload bytes (QSIZE) come from a mounted mqueue filesystem, or
 * from pread at offset 0 on a duplicate of a readable descriptor (the
 * holder's file position is not moved); otherwise `queued` is null: unknown.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Holder, MqueueObject } from '../model/snapshot-types';
import { O_CLOEXEC, O_RDONLY, native } from '../libc/libc';
import { MQUEUE_MAGIC, type MqAttr, fsMagic, mqGetattr, readQsize, readQsizeAt } from '../libc/posix-ipc';
import { borrowOnce } from './pidfd';
import type { KindProbe, KindProbeResult, ProbeContext } from './probe-types';

/** Mount point of an mqueue filesystem visible to this process, or null (none on this machine by default). */
export function mqueueMount(): string | null {
  try {
    for (const line of readFileSync('/proc/self/mountinfo', 'latin1').split('\n')) {
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
  targets: Set<string>;
  holders: Holder[];
}

function attrsThroughMount(mount: string, name: string): MqAttr | null {
  const fd = native.open(`${mount}/${name.slice(1)}`, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) return null;
  try {
    return mqGetattr(fd);
  } catch {
    return null;
  } finally {
    native.close(fd);
  }
}

function collect(ctx: ProbeContext): KindProbeResult {
  const byName = new Map<string, Found>();
  for (const p of ctx.processes.values()) {
    for (const fd of p.fds) {
      if (!CANDIDATE.test(fd.target)) continue;
      if (fsMagic(`/proc/${p.pid}/fd/${fd.fd}`) !== MQUEUE_MAGIC) continue;
      /* an unlinked queue reads "/NAME (deleted)" and stays a separate object */
      const f = byName.get(fd.target) ?? { name: fd.target, targets: new Set<string>(), holders: [] };
      f.targets.add(fd.target);
      f.holders.push({ pid: p.pid, fd: fd.fd, access: fd.access });
      byName.set(fd.target, f);
    }
  }
  /* nothing held in a PID scope: no need to look for a mount (a mountinfo read per tick) */
  if (!ctx.wholeMachine && byName.size === 0) return { objects: [], targets: new Map() };
  const mount = mqueueMount();
  if (ctx.wholeMachine && mount) {
    try {
      for (const entry of readdirSync(mount)) {
        const name = `/${entry}`;
        if (!byName.has(name)) byName.set(name, { name, targets: new Set(), holders: [] });
      }
    } catch {
      /* unreadable mount */
    }
  }
  const objects: MqueueObject[] = [];
  const targets = new Map<string, string>();
  for (const f of byName.values()) {
    const id = `mqueue:${f.name}`;
    for (const t of f.targets) targets.set(t, id);
    const holders = f.holders.sort((a, b) => a.pid - b.pid || a.fd - b.fd);
    let attr: MqAttr | null = null;
    for (const h of holders) {
      attr = borrowOnce(h.pid, h.fd, (dup) => {
        try {
          return mqGetattr(dup);
        } catch {
          return null;
        }
      });
      if (attr) break;
    }
    const live = !f.name.endsWith(' (deleted)');
    if (!attr && mount && live) attr = attrsThroughMount(mount, f.name);
    let queued: number | null = mount && live ? readQsizeAt(mount, f.name) : null;
    for (const h of holders) {
      if (queued !== null) break;
      if (h.access !== 'w') queued = borrowOnce(h.pid, h.fd, (dup) => readQsize(dup));
    }
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

export const mqueueProbe: KindProbe = { name: 'mqueue', collect };
