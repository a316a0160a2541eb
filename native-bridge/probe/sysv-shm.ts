/**
 * System V shared memory: the list from /proc/sysvipc/shm, the attaching PIDs
 * from each process's maps (`rw-s ... <shmid> /SYSV<key> (deleted)`: the
 * inode column is the shmid; `ipcs` only gives a count), and up to 256 bytes
 * of content.
 */
import type { ShmObject } from '../model/snapshot-types';
import { O_CLOEXEC, O_RDONLY, native } from '../libc/libc';
import { SHM_DEST, peekShmAttached } from '../libc/sysv';
import { readSharedMaps } from './process-scan';
import { MAX_PEEK_BYTES, type KindProbe, type KindProbeResult, type ProbeContext, type ScannedProcess } from './probe-types';
import { col, readSysvTable } from './sysvipc-table';

/** A process attaching a segment. */
interface ShmAttacher {
  pid: number;
}

/** shmid -> processes mapping it, by PID, from the scanned maps (shared mappings of /SYSV* files). */
function shmAttachers(processes: Iterable<ScannedProcess>): Map<number, ShmAttacher[]> {
  const byId = new Map<number, ShmAttacher[]>();
  for (const p of processes) {
    for (const m of p.maps ?? []) {
      if (!m.path.startsWith('/SYSV')) continue;
      const attachers = byId.get(m.inode) ?? [];
      /* a segment attached twice: its first mapping, as the maps list it */
      if (!attachers.some((a) => a.pid === p.pid)) attachers.push({ pid: p.pid });
      byId.set(m.inode, attachers);
    }
  }
  for (const attachers of byId.values()) attachers.sort((a, b) => a.pid - b.pid);
  return byId;
}

/**
 * Where `shmid` starts in the attacher's memory, from a fresh read of its
 * maps: the scanned maps may be up to a refresh period old, and a segment
 * detached and attached again meanwhile would sit elsewhere.
 */
function mappingStart(attacher: ShmAttacher, shmid: number): number | null {
  let start: string | undefined;
  try {
    start = readSharedMaps(attacher.pid).find((m) => m.inode === shmid && m.path.startsWith('/SYSV'))?.start;
  } catch {
    return null;
  }
  return start === undefined ? null : parseInt(start, 16);
}

/**
 * Reads the segment through an attacher's /proc/PID/mem: unlike shmat, this
 * leaves the segment's lpid and atime alone. Needs ptrace access (same uid or root).
 */
function peekThroughMem(attacher: ShmAttacher, shmid: number, len: number): Uint8Array | null {
  const addr = mappingStart(attacher, shmid);
  if (addr === null) return null;
  const fd = native.open(`/proc/${attacher.pid}/mem`, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) return null;
  try {
    const buf = new Uint8Array(len);
    const n = native.pread(fd, buf, len, addr);
    return n === len ? buf : null;
  } finally {
    native.close(fd);
  }
}

/**
 * Content of a segment, read through an attacher's memory. A segment nobody
 * attaches is not peeked during sampling: a read-only attach (shmat/shmdt)
 * would make the probe the segment's lpid and move its atime/dtime, so every
 * later snapshot would show the observer instead of the last real user.
 * `allowAttach` opts into that (one-off inspection, e.g. on request).
 */
export function peekShm(shmid: number, size: number, attached: readonly ShmAttacher[], peekBytes: number, allowAttach = false): string | null {
  const len = Math.min(size, peekBytes, MAX_PEEK_BYTES);
  if (len <= 0) return null;
  for (const attacher of attached) {
    const bytes = peekThroughMem(attacher, shmid, len);
    if (bytes) return Buffer.from(bytes).toString('base64');
  }
  if (!allowAttach) return null;
  try {
    return Buffer.from(peekShmAttached(shmid, len)).toString('base64');
  } catch {
    return null;
  }
}

function collect(ctx: ProbeContext): KindProbeResult {
  const rows = (ctx.readSysvTable ?? readSysvTable)('shm');
  // no segment on the machine (the usual watch tick): no maps to go through
  if (rows.length === 0) return { objects: [], targets: new Map() };
  const attachers = shmAttachers(ctx.processes.values());
  const objects: ShmObject[] = [];
  for (const row of rows) {
    const shmid = col(row, 'shmid');
    const mappers = attachers.get(shmid) ?? [];
    const attached = mappers.map((a) => a.pid);
    const cpid = col(row, 'cpid');
    const lpid = col(row, 'lpid');
    const inScope = ctx.wholeMachine || attached.length > 0 || ctx.processes.has(cpid) || ctx.processes.has(lpid);
    if (!inScope) continue;
    const perms = col(row, 'perms');
    const size = col(row, 'size');
    objects.push({
      id: `shm:${shmid}`,
      kind: 'shm',
      holders: [],
      shmid,
      key: col(row, 'key') >>> 0,
      size,
      nattch: col(row, 'nattch'),
      attached,
      owner: col(row, 'uid'),
      mode: perms & 0o777,
      cpid,
      lpid,
      /* SHM_DEST 01000: IPC_RMID'ed while attached; the key reads 0 from then on */
      markedForDeletion: (perms & SHM_DEST) !== 0,
      peek: ctx.options.peekBytes > 0 ? peekShm(shmid, size, mappers, ctx.options.peekBytes) : null,
    });
  }
  return { objects, targets: new Map() };
}

export const sysvShmProbe: KindProbe = { name: 'sysv-shm', sysvTable: 'shm', collect };
