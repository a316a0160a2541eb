/**
 * System V shared memory: the list from /proc/sysvipc/shm, the attaching PIDs
 * from each process's maps (`rw-s ... <shmid> /SYSV<key> (deleted)`: the
 * inode column is the shmid; `ipcs` only gives a count), and up to 256 bytes
 * of content.
 */
import type { ShmObject } from '../../../model/snapshot-types';
import { O_CLOEXEC, O_RDONLY, native } from '../../../libc/libc';
import { SHM_DEST, peekShmAttached } from '../../../libc/sysv';
import { readSharedMaps } from '../../process/process-scan';
import { MAX_PEEK_BYTES, type KindProbe, type KindProbeResult, type MapsEntry, type ProbeContext, type ScannedProcess } from '../../probe-types';
import { listAllPids } from '../../scope';
import { processCpuNs } from '../../../libc/cpu-clock';
import { col, readSysvTable, type SysvRow } from './sysvipc-table';
import { ownerNameOf } from '../../process/user-names';

/** A process attaching a segment. */
interface ShmAttacher {
  pid: number;
  /** Where the segment starts in its memory, hex without "0x" (its maps' first column), when its maps were scanned. */
  start?: string;
}

/** shmid -> how many mappings of it the processes have (nattch counts attachments, not processes). */
function mappingCounts(processes: Iterable<ScannedProcess>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of processes) {
    for (const m of p.maps ?? []) if (m.path.startsWith('/SYSV')) counts.set(m.inode, (counts.get(m.inode) ?? 0) + 1);
  }
  return counts;
}

/** The System V mappings of a process outside the scope, and its CPU time when they were read. */
interface OutsideMaps {
  cpuNs: number;
  sysv: MapsEntry[];
}

/*
 * Kept between collects (a watch asks every tick while a segment is attached
 * outside its scope): a process whose CPU clock has not moved has not run, so
 * it has not attached or detached anything (shmat/shmdt are its own calls).
 */
let outsideMaps = new Map<number, OutsideMaps>();

function sysvMapsOutside(pid: number, cpuNs: number): MapsEntry[] | null {
  const known = outsideMaps.get(pid);
  if (known?.cpuNs === cpuNs) return known.sysv;
  try {
    return readSharedMaps(pid).filter((m) => m.path.startsWith('/SYSV'));
  } catch {
    return null;
  }
}

/**
 * The attachers of `shmids` among the processes outside the scope, from
 * their maps: as a pipe's holders outside a PID scope are found by their
 * descriptor links. Asked only when nattch says the scope does not map every
 * attachment; a process we may not read is left out.
 */
function attachersOutside(shmids: ReadonlySet<number>, scanned: ReadonlyMap<number, unknown>): Map<number, ShmAttacher[]> {
  const found = new Map<number, ShmAttacher[]>();
  const next = new Map<number, OutsideMaps>();
  for (const pid of listAllPids()) {
    if (scanned.has(pid)) continue;
    // read before the maps: a change after this read shows at the next collect
    const cpuNs = processCpuNs(pid);
    if (cpuNs === null) continue;
    const maps = sysvMapsOutside(pid, cpuNs);
    if (maps === null) continue;
    next.set(pid, { cpuNs, sysv: maps });
    for (const m of maps) {
      if (!shmids.has(m.inode)) continue;
      const list = found.get(m.inode) ?? [];
      if (!list.some((a) => a.pid === pid)) list.push({ pid });
      found.set(m.inode, list);
    }
  }
  outsideMaps = next;
  return found;
}

/** shmid -> processes mapping it, by PID, from the scanned maps (shared mappings of /SYSV* files). */
function shmAttachers(processes: Iterable<ScannedProcess>): Map<number, ShmAttacher[]> {
  const byId = new Map<number, ShmAttacher[]>();
  for (const p of processes) {
    for (const m of p.maps ?? []) {
      if (!m.path.startsWith('/SYSV')) continue;
      const attachers = byId.get(m.inode) ?? [];
      /* a segment attached twice: its first mapping, as the maps list it */
      if (!attachers.some((a) => a.pid === p.pid)) attachers.push({ pid: p.pid, start: m.start });
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
  const inScope = rows.filter((row) => {
    const shmid = col(row, 'shmid');
    return ctx.wholeMachine || attachers.has(shmid) || ctx.processes.has(col(row, 'cpid')) || ctx.processes.has(col(row, 'lpid'));
  });
  if (!ctx.wholeMachine) addAttachersOutside(ctx, inScope, attachers);
  const objects: ShmObject[] = [];
  for (const row of inScope) {
    const shmid = col(row, 'shmid');
    const mappers = attachers.get(shmid) ?? [];
    const attached = mappers.map((a) => a.pid);
    const starts = mappers.filter((a) => a.start !== undefined).map((a) => [String(a.pid), `0x${a.start!}`] as const);
    const cpid = col(row, 'cpid');
    const lpid = col(row, 'lpid');
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
      ...(starts.length > 0 ? { mappedAt: Object.fromEntries(starts) } : {}),
      owner: col(row, 'uid'),
      ...ownerNameOf(col(row, 'uid')),
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

/** In a PID scope: the attachers outside it of the segments whose nattch exceeds the scope's mappings, merged into `attachers`. */
function addAttachersOutside(ctx: ProbeContext, rows: readonly SysvRow[], attachers: Map<number, ShmAttacher[]>): void {
  const counts = mappingCounts(ctx.processes.values());
  const short = new Set<number>();
  for (const row of rows) {
    const shmid = col(row, 'shmid');
    if (col(row, 'nattch') > (counts.get(shmid) ?? 0)) short.add(shmid);
  }
  if (short.size === 0) return;
  for (const [shmid, outside] of attachersOutside(short, ctx.processes)) {
    const list = [...(attachers.get(shmid) ?? []), ...outside].sort((a, b) => a.pid - b.pid);
    attachers.set(shmid, list);
  }
}

export const sysvShmProbe: KindProbe = { name: 'sysv-shm', sysvTable: 'shm', changedThrough: 'any process', collect };
